import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/query';
import { useMoney } from '../../lib/money';

/** What the campaign's AI calls cost so far, per message and by model (the costs capability's figures). */
export function CampaignCosts({ id }: { id: string }) {
  const { t } = useTranslation();
  const money = useMoney();
  const costs = useCall('campaigns.costs', { campaignId: id });
  const c = costs.data;
  return (
    <section className="card stack campaign-costs" aria-labelledby="costs-title" data-testid="campaign-costs">
      <h2 id="costs-title">{t('campaign.costs.title')}</h2>
      {!c ? (
        <p className="muted">{t('campaign.loading')}</p>
      ) : (
        <>
          <dl className="campaign-figures">
            <div>
              <dt>{t('campaign.costs.total')}</dt>
              <dd data-testid="cost-total" data-micros={c.total.micros}>{money.micros(c.total.micros)}</dd>
            </div>
            <div>
              <dt>{t('campaign.costs.perMessage')}</dt>
              <dd data-testid="cost-per-message">{c.perMessageMicros === null ? '—' : money.exact(c.perMessageMicros)}</dd>
            </div>
            <div>
              <dt>{t('campaign.costs.requests')}</dt>
              <dd>{money.count(c.total.requests)}</dd>
            </div>
          </dl>
          {c.byModel.length === 0 ? (
            <p className="muted" data-testid="cost-none">{t('campaign.costs.none')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">{t('campaign.costs.byModel')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('campaign.costs.provider')}</th>
                    <th scope="col">{t('campaign.costs.model')}</th>
                    <th scope="col">{t('campaign.costs.requests')}</th>
                    <th scope="col">{t('campaign.costs.tokens')}</th>
                    <th scope="col">{t('campaign.costs.cost')}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.byModel.map((m) => (
                    <tr key={`${m.provider}/${m.model}`}>
                      <td>{m.provider}</td>
                      <td>{m.model}</td>
                      <td>{money.count(m.requests)}</td>
                      <td>{t('campaign.costs.tokenSplit', { input: money.count(m.inputTokens), cached: money.count(m.cachedInputTokens), output: money.count(m.outputTokens) })}</td>
                      <td>{money.micros(m.micros)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
