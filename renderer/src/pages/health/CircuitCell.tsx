import { useTranslation } from 'react-i18next';
import type { ProviderHealth } from '../../../../shared/ai';
import { describeError } from '../../api/errors';
import { useAct } from '../../api/query';
import { formatWait, useCountdown, useTimeOfDay } from './circuitTime';

type Circuit = Pick<ProviderHealth, 'provider' | 'circuit' | 'openedAt' | 'nextProbeAt' | 'readAt' | 'lastReset'>;

/** "Open, next probe in 12 s": the wait is counted down from the core's own deadline. */
export function CircuitWait({ circuit, receivedAt }: { circuit: Circuit; receivedAt: number }) {
  const { t } = useTranslation();
  const left = useCountdown(circuit.circuit === 'open' ? circuit.nextProbeAt : null, circuit.readAt, receivedAt);
  if (left === null) return null;
  return (
    <small className="block" data-testid="circuit-wait" data-left-ms={left}>
      {left > 0 ? t('outcomes.circuit.nextProbeIn', { time: formatWait(t, left) }) : t('outcomes.circuit.probeDue')}
    </small>
  );
}

/** Closes the circuit now; the core records who did it. */
export function ResetCircuitButton({ provider, className }: { provider: Circuit['provider']; className?: string }) {
  const { t } = useTranslation();
  const reset = useAct('circuits.reset');
  return (
    <>
      <button
        type="button"
        className={className ?? 'secondary'}
        data-testid="reset-circuit"
        disabled={reset.isPending}
        aria-busy={reset.isPending}
        aria-label={t('outcomes.circuit.resetLabel', { provider: t(`providers.names.${provider}`) })}
        onClick={() => reset.mutate({ provider })}
      >
        {reset.isPending ? t('outcomes.circuit.resetting') : t('outcomes.circuit.reset')}
      </button>
      {reset.error && <small className="error block" role="alert">{t('outcomes.circuit.resetFailed', { message: describeError(t, reset.error) })}</small>}
    </>
  );
}

/** The Health table's circuit cell: state, time left before the next probe, reset, and who last reset it. */
export function CircuitCell({ circuit, receivedAt }: { circuit: Circuit; receivedAt: number }) {
  const { t } = useTranslation();
  const time = useTimeOfDay();
  const closed = circuit.circuit === 'closed';
  return (
    <div className="circuit-cell" data-testid="circuit-cell">
      <span className={`chip ${closed ? 'good' : 'bad'}`}>{t(`circuit.${circuit.circuit}`)}</span>
      <CircuitWait circuit={circuit} receivedAt={receivedAt} />
      {!closed && circuit.openedAt !== null && (
        <small className="muted block">{t('outcomes.circuit.openedAt', { time: time(circuit.openedAt) })}</small>
      )}
      {!closed && (
        <div className="actions">
          <ResetCircuitButton provider={circuit.provider} />
        </div>
      )}
      {circuit.lastReset && (
        <small className="muted block" data-testid="circuit-reset-by">
          {t('outcomes.circuit.resetBy', { name: circuit.lastReset.by, time: time(circuit.lastReset.at) })}
        </small>
      )}
    </div>
  );
}
