import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ProviderId } from '../../../../shared/ai';
import type { Output } from '../../../../shared/contract';
import { describeError } from '../../api/errors';
import { useAct } from '../../api/query';
import { useMoney } from '../../lib/money';

type Probe = Output<'providers.test'>;

function describeProbe(t: TFunction, id: ProviderId, p: Probe): string {
  const provider = t(`providers.names.${id}`);
  if (p.outcome === 'connected') {
    const line = t('providers.testOutcome.connected', { deployment: p.deployment, baseModel: p.baseModel, ms: p.ms });
    return p.unpriced ? `${line} ${t('providers.testOutcome.unpriced', { baseModel: p.baseModel })}` : line;
  }
  if (p.outcome === 'disabled' || p.outcome === 'not_configured') return t(`providers.testOutcome.${p.outcome}`, { provider });
  const kind = t(`faultKinds.${p.outcome}`);
  const head = p.status ? t('providers.testOutcome.faultStatus', { kind, status: p.status }) : kind;
  return p.detail ? `${head}: ${p.detail}` : head;
}

/** One tiny real request to the provider, outside routing; it costs what it costs, and says so. */
export function ProviderTest({ id }: { id: ProviderId }) {
  const { t } = useTranslation();
  const money = useMoney();
  const probe = useAct('providers.test');
  const { data: outcome, error, isPending: running } = probe;

  return (
    <div className="test-box">
      <h3>{t('providers.testTitle')}</h3>
      <p className="muted">{t('providers.testHelp')}</p>
      <div className="actions">
        <button type="button" className="secondary" disabled={running} onClick={() => probe.mutate({ provider: id })}>
          {running ? t('providers.testing') : t('providers.test')}
        </button>
      </div>
      {error && <p className="error" role="alert">{t('providers.testFailed', { message: describeError(t, error) })}</p>}
      {outcome && !running && (
        <div role="status" data-testid="test-result" className={outcome.ok ? 'ok' : 'error'}>
          <p>{describeProbe(t, id, outcome)}</p>
          <p className="muted">
            {t('providers.testFacts', { ms: outcome.ms, cost: money.exact(outcome.costMicros) })}
          </p>
        </div>
      )}
    </div>
  );
}
