import { useTranslation } from 'react-i18next';
import type { Health } from '../../../../shared/contract';
import { formatMs } from '../format';
import { CircuitCell } from './CircuitCell';
import { useTimeOfDay } from './circuitTime';

/** Per provider: is it on and set up, is its circuit closed, what failed last, how fast it answers. */
export function ProvidersHealth({ providers, sandboxMode, receivedAt }: { providers: Health['providers']; sandboxMode: boolean; receivedAt: number }) {
  const { t, i18n } = useTranslation();
  const time = useTimeOfDay();
  return (
    <section aria-labelledby="providers-health-title">
      <h2 id="providers-health-title">{t('health.providers.title')}</h2>
      {sandboxMode && <p className="muted">{t('health.providers.sandbox')}</p>}
      <div className="table-wrap">
        <table className="table" data-testid="providers-health">
          <thead>
            <tr>
              <th scope="col">{t('health.providers.provider')}</th>
              <th scope="col">{t('health.providers.setup')}</th>
              <th scope="col">{t('health.providers.circuit')}</th>
              <th scope="col">{t('health.providers.lastError')}</th>
              <th scope="col" className="num">{t('health.providers.p50')}</th>
              <th scope="col" className="num">{t('health.providers.p95')}</th>
            </tr>
          </thead>
          <tbody>
            {providers.map((p) => (
              <tr key={p.provider} data-testid="provider-health-row" data-provider={p.provider} data-circuit={p.circuit}>
                <th scope="row" className="nowrap">{t(`providers.names.${p.provider}`)}</th>
                <td>
                  <div className="chips">
                    <span className={`chip ${p.enabled ? 'good' : ''}`}>{p.enabled ? t('providers.enabled') : t('providers.disabled')}</span>
                    <span className={`chip ${p.configured ? 'good' : 'bad'}`}>{p.configured ? t('providers.configured') : t('providers.notConfigured')}</span>
                  </div>
                </td>
                <td>
                  <CircuitCell circuit={p} receivedAt={receivedAt} />
                </td>
                <td>
                  {p.lastError ? (
                    <>
                      <strong>{t(`faultKinds.${p.lastError.kind}`)}</strong>
                      <small className="muted block" data-testid="last-error-at">{t('outcomes.lastErrorAt', { time: time(p.lastError.at) })}</small>
                      <small className="muted block clamp" title={p.lastError.message}>{p.lastError.message}</small>
                    </>
                  ) : (
                    <span className="muted">{t('health.providers.noError')}</span>
                  )}
                </td>
                <td className="num">{formatMs(t, p.p50Ms, i18n.language)}</td>
                <td className="num">{formatMs(t, p.p95Ms, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
