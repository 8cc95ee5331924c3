import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { PROVIDER_IDS, type ProviderId } from '../../../../shared/ai';
import type { Output } from '../../../../shared/contract';
import { SANDBOX_FAULTS } from '../../../../shared/sandbox';
import { api } from '../../api/client';
import { useMethod } from '../../api/hooks';

type Fault = (typeof SANDBOX_FAULTS)[number];
type Faults = Output<'sandbox.state'>['faults'];

/** Standing faults the sandbox answers with, per target, until set back to "None". */
export function SandboxFaults() {
  const { t } = useTranslation();
  const { data, error: loadError } = useMethod('sandbox.state', {});
  // What the sandbox last confirmed, and what was picked but not confirmed yet.
  const [confirmed, setConfirmed] = useState<Faults>();
  const [pending, setPending] = useState<Faults>();
  const [error, setError] = useState<string>();
  const server = confirmed ?? data?.faults ?? {};
  const shown = pending ?? server;

  const pick = async (target: ProviderId, value: string) => {
    const fault = value ? (value as Fault) : null;
    setPending({ ...shown, [target]: fault ?? undefined });
    const result = await api.call('sandbox.setFault', { target, fault });
    setPending(undefined);
    if (result.ok) setConfirmed(result.value.faults);
    setError(result.ok ? undefined : describeError(t, result.error));
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
              disabled={!data && !loadError}
              onChange={(e) => void pick(target, e.target.value)}
            >
              <option value="">{t('sandboxFaults.none')}</option>
              {SANDBOX_FAULTS.map((f) => <option key={f} value={f}>{t(`sandboxFaults.kinds.${f}`)}</option>)}
            </select>
          </div>
        ))}
      </div>
      {(error ?? loadError) && (
        <p className="error" role="alert">{t('sandboxFaults.failed', { message: error ?? (loadError && describeError(t, loadError)) })}</p>
      )}
    </section>
  );
}
