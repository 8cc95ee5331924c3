import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ProviderId } from '../../../../shared/ai';
import type { Input, Output } from '../../../../shared/contract';
import { describeError } from '../../api/errors';
import { useAct } from '../../api/query';
import { useMoney } from '../../lib/money';

type Probe = Output<'providers.test'>;

/** Which hint fits an HTTP answer: the key, the deployment or version, the quota, the request, the provider's side. */
function hintFor(failure: NonNullable<Probe['failure']>, status: number | null): string {
  if (failure.reason !== 'http') return failure.reason;
  if (status === 401 || status === 403) return 'http_401';
  if (status === 404) return 'http_404';
  if (status === 429) return 'http_429';
  if (status !== null && status >= 500) return 'http_5xx';
  return 'http_400';
}

function describeProbe(t: TFunction, id: ProviderId, p: Probe): { text: string; hint?: string } {
  const provider = t(`providers.names.${id}`);
  if (p.outcome === 'connected') {
    const line = t('providers.testOutcome.connected', { deployment: p.deployment, baseModel: p.baseModel, ms: p.ms });
    return { text: p.unpriced ? `${line} ${t('providers.testOutcome.unpriced', { baseModel: p.baseModel })}` : line };
  }
  if (p.outcome === 'disabled' || p.outcome === 'not_configured') return { text: t(`providers.testOutcome.${p.outcome}`, { provider }) };
  if (!p.failure) return { text: t(`faultKinds.${p.outcome}`) };
  const { reason, code, host } = p.failure;
  const params = { host: host ?? t('providerSetup.failure.defaultHost'), status: p.status ?? '', code: code ?? '' };
  const text = reason === 'http' && code ? t('providerSetup.failure.httpCode', params) : t(`providerSetup.failure.${reason}`, params);
  return { text, hint: t(`providerSetup.hint.${hintFor(p.failure, p.status)}`) };
}

/**
 * One tiny real request with the card's settings as typed, saved or not, and the key typed there
 * (used once, never stored). It costs what it costs, and says so.
 */
export function ProviderTest({ id, draft }: { id: ProviderId; draft(): Input<'providers.test'>['draft'] | null }) {
  const { t } = useTranslation();
  const money = useMoney();
  // A typed key travels in the mutation's variables: it must not linger in the cache.
  const probe = useAct('providers.test', { gcTime: 0 });
  const { data: outcome, error, isPending: running } = probe;
  const run = () => {
    const typed = draft();
    if (typed) probe.mutate({ provider: id, draft: typed });
  };
  const said = outcome && !running ? describeProbe(t, id, outcome) : undefined;

  return (
    <div className="test-box">
      <h3>{t('providers.testTitle')}</h3>
      <p className="muted">{t('providerSetup.testHelp')}</p>
      <div className="actions">
        <button type="button" className="secondary" disabled={running} onClick={run}>
          {running ? t('providers.testing') : t('providers.test')}
        </button>
      </div>
      {error && <p className="error" role="alert">{t('providers.testFailed', { message: describeError(t, error) })}</p>}
      {outcome && said && (
        <div role="status" data-testid="test-result" className={outcome.ok ? 'ok' : 'error'}>
          <p>{said.text}</p>
          {said.hint && <p data-testid="test-hint">{said.hint}</p>}
          {/* The provider's own words, when it answered; a failure before any answer has none worth quoting. */}
          {outcome.detail && outcome.failure?.reason === 'http' && <p className="muted"><q>{outcome.detail}</q></p>}
          <p className="muted">{t('providers.testFacts', { ms: outcome.ms, cost: money.exact(outcome.costMicros) })}</p>
        </div>
      )}
    </div>
  );
}
