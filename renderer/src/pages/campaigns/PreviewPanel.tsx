import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { useMoney } from '../../lib/money';

/**
 * The first fans' messages as the template renders them, and for AI modes what generating the
 * whole audience would cost. Both come from the saved draft (autosave keeps it a moment behind
 * the typing) and need no network: the core counts tokens and prices them locally.
 */
export function PreviewPanel({ id, ready, ai }: { id: string; ready: boolean; ai: boolean }) {
  const { t } = useTranslation();
  const money = useMoney();
  const preview = useCall('campaigns.preview', { id, limit: 5 }, { enabled: ready, placeholderData: (previous) => previous });
  const data = ready ? preview.data : undefined;
  const estimate = data?.estimate ?? null;
  return (
    <>
      <section className="card" aria-labelledby="preview-title" data-testid="preview">
        <h2 id="preview-title">{t('composer.preview.title')}</h2>
        {!ready && <p className="muted">{t('composer.preview.needTarget')}</p>}
        {ready && preview.error && <p className="error" role="alert">{describeError(t, preview.error)}</p>}
        {data && data.items.length === 0 && <p className="muted">{t('composer.preview.noFans')}</p>}
        {data && data.items.length > 0 && (
          <>
            <p className="muted">{t('composer.preview.showing', { count: data.items.length, total: money.count(data.total) })}</p>
            <ul className="preview-list">
              {data.items.map((item) => (
                <li key={item.fanId} data-testid="preview-item">
                  <small>{item.fanName ? t('composer.preview.fanNamed', { name: item.fanName, id: item.fanId }) : t('composer.preview.fan', { id: item.fanId })}</small>
                  {item.text}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {ai && (
        <section className="card" aria-labelledby="estimate-title" data-testid="estimate">
          <h2 id="estimate-title">{t('composer.estimate.title')}</h2>
          {!estimate && <p className="muted">{t('composer.estimate.none')}</p>}
          {estimate && (
            <dl className="estimate">
              <dt>{t('composer.estimate.cost')}</dt>
              <dd data-testid="estimate-cost">{estimate.priced ? money.micros(estimate.costMicros) : t('composer.estimate.notPriced')}</dd>
              <dt>{t('composer.estimate.requests')}</dt>
              <dd>{money.count(estimate.requests)}</dd>
              <dt>{t('composer.estimate.input')}</dt>
              <dd>{money.count(estimate.inputTokens)}</dd>
              <dt>{t('composer.estimate.cached')}</dt>
              <dd>{money.count(estimate.cachedInputTokens)}</dd>
              <dt>{t('composer.estimate.output')}</dt>
              <dd>{money.count(estimate.outputTokens)}</dd>
            </dl>
          )}
          <p className="muted">{t('composer.estimate.note')}</p>
        </section>
      )}
    </>
  );
}
