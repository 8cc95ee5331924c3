import { useTranslation } from 'react-i18next';
import type { VariantCounts } from '../../../../shared/campaigns';
import { useMoney } from '../../lib/money';

const LETTERS = 'ABCD';

/** A/B: how each variant fared (its recipients by outcome) and what its AI requests cost. */
export function VariantsReport({ variants }: { variants: readonly VariantCounts[] }) {
  const { t } = useTranslation();
  const money = useMoney();
  if (variants.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="variants-title" data-testid="variants-report">
      <h2 id="variants-title">{t('campaign.variants.title')}</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('campaign.variants.variant')}</th>
              <th scope="col">{t('campaign.variants.recipients')}</th>
              <th scope="col">{t('campaign.recipientStatus.sent')}</th>
              <th scope="col">{t('campaign.recipientStatus.failed')}</th>
              <th scope="col">{t('campaign.recipientStatus.blocked')}</th>
              <th scope="col">{t('campaign.variants.cost')}</th>
            </tr>
          </thead>
          <tbody>
            {variants.map((v) => {
              const recipients = Object.values(v.counts).reduce((a, b) => a + b, 0);
              return (
                <tr key={v.variant} data-testid="variant-row" data-variant={v.variant}>
                  <th scope="row">{t('campaign.variants.name', { letter: LETTERS[v.variant] })}</th>
                  <td>{money.count(recipients)}</td>
                  <td>{money.count(v.counts.sent)}</td>
                  <td>{money.count(v.counts.failed)}</td>
                  <td>{money.count(v.counts.blocked)}</td>
                  <td>{money.micros(v.costMicros)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
