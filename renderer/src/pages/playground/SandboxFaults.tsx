import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { PROVIDER_IDS, type ProviderId } from '../../../../shared/ai';
import { SANDBOX_FAULTS } from '../../../../shared/sandbox';
import { useAct, useCall } from '../../api/query';
import { CircuitNotice } from './CircuitNotice';

type Fault = (typeof SANDBOX_FAULTS)[number];

/** Standing faults the sandbox answers with, per target, until set back to "None". */
export function SandboxFaults() {
  const { t } = useTranslation();
  const state = useCall('sandbox.state', {});
  const setFault = useAct('sandbox.setFault');
  // What the sandbox last confirmed, and the pick on its way to it (held here: the mutation's own
  // state arrives a tick late for a controlled select).
  const [picked, setPicked] = useState<{ target: ProviderId; fault: Fault | null }>();
  const server = state.data?.faults ?? {};
  const shown = picked ? { ...server, [picked.target]: picked.fault ?? undefined } : server;
  const error = setFault.error ?? state.error;
  const health = useCall('health.get', {});
  const circuits = health.data?.providers ?? [];
  // Faults picked for a provider whose circuit is not closed: requests skip it, so they cannot happen yet.
  const blocked = circuits.filter((c) => shown[c.provider] && c.circuit !== 'closed');

  const pick = (target: ProviderId, value: string) => {
    const next = { target, fault: value ? (value as Fault) : null };
    setPicked(next);
    setFault.mutate(next, { onSettled: () => setPicked(undefined) });
  };

  return (
    <section className="card sandbox-faults" aria-labelledby="faults-title" data-testid="sandbox-faults">
      <h2 id="faults-title">{t('sandboxFaults.title')}</h2>
      <p className="muted">{t('sandboxFaults.help')}</p>
      <div className="grid-form three">
        {PROVIDER_IDS.map((target) => (
          <div className="field" key={target}>
            <label htmlFor={`fault-${target}`}>{t('sandboxFaults.for', { provider: t(`providers.names.${target}`) })}</label>
            <select
              id={`fault-${target}`}
              value={shown[target] ?? ''}
              data-confirmed={server[target] ?? ''}
              disabled={state.isPending || picked !== undefined}
              onChange={(e) => pick(target, e.target.value)}
            >
              <option value="">{t('sandboxFaults.none')}</option>
              {SANDBOX_FAULTS.map((f) => <option key={f} value={f}>{t(`sandboxFaults.kinds.${f}`)}</option>)}
            </select>
          </div>
        ))}
      </div>
      {blocked.map((c) => <CircuitNotice key={c.provider} circuit={c} receivedAt={health.dataUpdatedAt} />)}
      {error && <p className="error" role="alert">{t('sandboxFaults.failed', { message: describeError(t, error) })}</p>}
    </section>
  );
}
