import { useTranslation } from 'react-i18next';
import type { CostStats } from '../../../../shared/costs';
import type { ForecastOutput } from '../../../../shared/forecast';
import { useMoney } from '../../lib/money';

const PERIODS = ['today', 'yesterday', 'thisMonth', 'last30Days'] as const;

/** Month to date against the monthly budget (a figure and a bar), the month-end projection, and four periods. */
export function CostsSummary({ stats, forecast }: { stats: CostStats; forecast: ForecastOutput | undefined }) {
  const { t } = useTranslation();
  const money = useMoney();
  const mtd = stats.thisMonth.total.micros;
  const monthly = forecast?.budgets.find((b) => b.period === 'monthly');
  const percent = monthly && monthly.amountMicros > 0 ? Math.round((mtd / monthly.amountMicros) * 100) : null;
  const dateFmt = new Intl.DateTimeFormat(money.locale, { month: 'long', day: 'numeric', timeZone: 'UTC' });
  const day = (date: string) => dateFmt.format(Date.parse(`${date}T00:00:00Z`));

  return (
    <div className="cost-summary">
      <div className="card cost-mtd" data-testid="month-to-date" data-micros={mtd}>
        <h2>{t('costs.mtd.title')}</h2>
        <p className="cost-figure" data-testid="month-to-date-figure">{money.micros(mtd)}</p>
        {monthly ? (
          <>
            <div className="cost-bar" role="meter" aria-label={t('costs.mtd.barLabel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.min(100, percent ?? 0)}>
              <span className={percent !== null && percent >= 100 ? 'over' : percent !== null && percent >= 80 ? 'near' : ''} style={{ width: `${Math.min(100, percent ?? 0)}%` }} />
            </div>
            <p className="muted">{t('costs.mtd.ofBudget', { budget: money.micros(monthly.amountMicros), percent: percent ?? 0 })}</p>
            {monthly.crossesOn && <p className="error">{t('costs.mtd.crosses', { date: day(monthly.crossesOn) })}</p>}
            {!monthly.crossesOn && monthly.earliestOn && <p className="warn-text">{t('costs.mtd.mayCross', { date: day(monthly.earliestOn) })}</p>}
          </>
        ) : (
          <p className="muted">{t('costs.mtd.noBudget')}</p>
        )}
        {forecast && (
          <p data-testid="month-end-forecast">
            {t('costs.mtd.forecast', { p50: money.micros(forecast.monthEnd.p50), p10: money.micros(forecast.monthEnd.p10), p90: money.micros(forecast.monthEnd.p90) })}
            <br />
            <small className="muted">{t(`costs.method.${forecast.method}`, { days: forecast.basis.historyDays })}</small>
          </p>
        )}
      </div>
      <dl className="cost-tiles">
        {PERIODS.map((p) => (
          <div key={p} className="card cost-tile" data-testid={`stat-${p}`} data-micros={stats[p].total.micros}>
            <dt>{t(`costs.periods.${p}`)}</dt>
            <dd className="cost-figure small">{money.micros(stats[p].total.micros)}</dd>
            <dd className="muted">{t('costs.requests', { count: stats[p].total.requests, formatted: money.count(stats[p].total.requests) })}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
