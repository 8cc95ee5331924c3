import { useTranslation } from 'react-i18next';
import type { ProviderHealth } from '../../../../shared/ai';
import { CircuitWait, ResetCircuitButton } from '../health/CircuitCell';

/**
 * A fault picked for a provider whose circuit is open would never be sent: requests pass that
 * provider over. Said here, with the way out, instead of the fault silently not happening.
 */
export function CircuitNotice({ circuit, receivedAt }: { circuit: ProviderHealth; receivedAt: number }) {
  const { t } = useTranslation();
  const provider = t(`providers.names.${circuit.provider}`);
  return (
    <div className="notice warn" role="status" data-testid="circuit-notice" data-provider={circuit.provider}>
      <p>{t(circuit.circuit === 'half_open' ? 'outcomes.notice.halfOpen' : 'outcomes.notice.open', { provider })}</p>
      <CircuitWait circuit={circuit} receivedAt={receivedAt} />
      <div className="actions">
        <ResetCircuitButton provider={circuit.provider} />
      </div>
    </div>
  );
}
