import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { useMoney } from '../../lib/money';
import { formatMs } from '../format';

const REFRESH_MS = 2000;

/** Since the app started: requests, errors and fallbacks per provider, latency percentiles, today's cost. */
export function OrchestratorMetrics() {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const { data, error } = useCall('metrics.orchestrator', {}, { refetchInterval: REFRESH_MS });
  const n = (value: number) => value.toLocaleString(i18n.language);
  const ms = (value: number | null) => formatMs(t, value, i18n.language);

  return (
    <section aria-labelledby="orchestrator-title">
      <h2 id="orchestrator-title">{t('health.orchestrator.title')}</h2>
      {error && <p className="error" role="alert">{t('health.orchestrator.error', { message: describeError(t, error) })}</p>}
      {data && (
        <div className="table-wrap">
          <table className="table" data-testid="orchestrator-metrics">
            <thead>
              <tr>
                <th scope="col">{t('health.providers.provider')}</th>
                <th scope="col" className="num">{t('health.orchestrator.requests')}</th>
                <th scope="col" className="num">{t('health.orchestrator.errors')}</th>
                <th scope="col" className="num">{t('health.orchestrator.fallbacks')}</th>
                <th scope="col" className="num">{t('health.providers.p50')}</th>
                <th scope="col" className="num">{t('health.providers.p95')}</th>
                <th scope="col" className="num">{t('health.orchestrator.p99')}</th>
                <th scope="col" className="num">{t('health.orchestrator.costToday')}</th>
              </tr>
            </thead>
            <tbody>
              {data.providers.map((p) => (
                <tr key={p.provider} data-testid="orchestrator-row" data-provider={p.provider}>
                  <th scope="row">{t(`providers.names.${p.provider}`)}</th>
                  <td className="num">{n(p.requests)}</td>
                  <td className="num">{n(p.errors)}</td>
                  <td className="num">{n(p.fallbacks)}</td>
                  <td className="num">{ms(p.p50Ms)}</td>
                  <td className="num">{ms(p.p95Ms)}</td>
                  <td className="num">{ms(p.p99Ms)}</td>
                  <td className="num">{money.exact(p.costTodayMicros)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={7}>{t('health.orchestrator.totalToday')}</th>
                <td className="num" data-testid="orchestrator-cost-total">{money.exact(data.costTodayMicros)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
