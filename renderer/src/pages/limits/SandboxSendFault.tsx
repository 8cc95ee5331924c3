import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../shared/accounts';
import { SANDBOX_SEND_FAULTS } from '../../../../shared/sending';
import { describeError } from '../../api/errors';
import { useAct } from '../../api/query';

type Fault = (typeof SANDBOX_SEND_FAULTS)[number];

/**
 * Sandbox mode only: tell the Sandbox OnlyFans server to answer this account's next send with a
 * fault, to see how the queue copes. The server keeps no state the app can read back, so what
 * was last asked is shown here.
 */
export function SandboxSendFault({ account }: { account: Account }) {
  const { t } = useTranslation();
  const [fault, setFault] = useState<Fault | ''>('');
  const [standing, setStanding] = useState(false);
  const [applied, setApplied] = useState<{ fault: Fault | null; standing: boolean } | null>(null);
  const act = useAct('sandbox.sendFault');
  const id = `send-fault-${account.id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = { fault: fault === '' ? null : fault, standing };
    act.mutate({ accountId: account.id, ...next }, { onSuccess: () => setApplied(next) });
  };
  return (
    <details className="send-fault">
      <summary>{t('limits.fault.title')}</summary>
      <form className="send-fault-form" onSubmit={submit} data-testid="send-fault">
        <div className="field">
          <label htmlFor={id}>{t('limits.fault.label')}</label>
          <select id={id} value={fault} onChange={(e) => setFault(e.target.value as Fault | '')}>
            <option value="">{t('limits.fault.none')}</option>
            {SANDBOX_SEND_FAULTS.map((f) => (
              <option key={f} value={f}>{t(`limits.fault.kinds.${f}`)}</option>
            ))}
          </select>
        </div>
        <label className="choice">
          <input type="checkbox" checked={standing} onChange={(e) => setStanding(e.target.checked)} />
          {t('limits.fault.standing')}
        </label>
        <div className="actions">
          <button type="submit" className="secondary" disabled={act.isPending}>{t('limits.fault.apply')}</button>
        </div>
      </form>
      {applied && (
        <p className="muted" role="status" data-testid="send-fault-applied">
          {applied.fault === null
            ? t('limits.fault.cleared')
            : t(applied.standing ? 'limits.fault.setStanding' : 'limits.fault.setOnce', { fault: t(`limits.fault.kinds.${applied.fault}`) })}
        </p>
      )}
      {act.error && <p role="alert" className="error">{describeError(t, act.error)}</p>}
    </details>
  );
}
