import { useTranslation } from 'react-i18next';
import type { ScopedBudgetForecast } from '../../../../shared/forecast';
import { useMoney } from '../../lib/money';

/**
 * Provider and campaign monthly budgets, each projected from its own spend: a compact table
 * beside the agency-wide figures, since their lines would not belong on the total's chart.
 */
export function ScopedBudgets({ budgets }: { budgets: ScopedBudgetForecast[] }) {
  const { t } = useTranslation();
  const money = useMoney();
  const dateFmt = new Intl.DateTimeFormat(money.locale, { month: 'long', day: 'numeric', timeZone: 'UTC' });
  const day = (date: string) => dateFmt.format(Date.parse(`${date}T00:00:00Z`));
  const name = (b: ScopedBudgetForecast) =>
    b.scope === 'provider' ? t(`providers.names.${b.target}`, { defaultValue: b.target }) : t('costs.scoped.campaign', { id: b.target });

  return (
    <div className="card" data-testid="scoped-budgets">
      <h2>{t('costs.scoped.title')}</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('costs.scoped.budget')}</th>
              <th scope="col" className="num">{t('costs.scoped.spent')}</th>
              <th scope="col" className="num">{t('costs.scoped.projected')}</th>
              <th scope="col">{t('costs.scoped.outlook')}</th>
            </tr>
          </thead>
          <tbody>
            {budgets.map((b) => (
              <tr key={b.id} data-testid={`scoped-budget-${b.id}`} data-crosses-on={b.crossesOn ?? ''}>
                <th scope="row">{name(b)}</th>
                <td className="num">{t('costs.scoped.ofAmount', { spent: money.micros(b.monthToDateMicros), amount: money.micros(b.amountMicros) })}</td>
                <td className="num">{money.micros(b.projectedMicros)}</td>
                <td>
                  {b.monthToDateMicros > b.amountMicros ? (
                    <span className="error">{t('costs.scoped.over')}</span>
                  ) : b.crossesOn ? (
                    <span className="error">{t('costs.scoped.crosses', { date: day(b.crossesOn) })}</span>
                  ) : b.earliestOn ? (
                    <span className="warn-text">{t('costs.scoped.mayCross', { date: day(b.earliestOn) })}</span>
                  ) : (
                    <span className="muted">{t('costs.scoped.onTrack')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
