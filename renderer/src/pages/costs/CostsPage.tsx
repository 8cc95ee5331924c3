import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { addDays } from '../../../../shared/forecast';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { PageHeading } from '../../components/PageHeading';
import { RebuildProgress } from '../../components/RebuildProgress';
import { paths } from '../../routing/routes';
import { BreakdownSection } from './BreakdownSection';
import { type ChartLine, dailyChart, monthChart, SPEND_DAYS } from './chartData';
import { CostsSummary } from './CostsSummary';
import { useMoney } from '../../lib/money';
import { ScopedBudgets } from './ScopedBudgets';
import { SpendChart } from './SpendChart';
import { useCostScope } from './scope';
import { ScopeSwitch, TeamCostsView } from './TeamCosts';
import { SyncCard } from '../settings/SyncCard';

/** What AI spent, per day and provider, where the month is heading, and a breakdown to export. */
export function CostsPage() {
  const { t } = useTranslation();
  const money = useMoney();
  const [scope, setScope] = useCostScope();
  // Sandbox data stays on this seat: the team view is of the live profile only.
  const sandbox = useCall('settings.get', {}).data?.sandboxMode ?? false;
  const team = scope === 'team' && !sandbox;
  const stats = useCall('costs.stats', {});
  const forecast = useCall('costs.forecast', {});
  const today = stats.data?.today.from;
  const series = useCall('costs.series', { from: today ? addDays(today, -(SPEND_DAYS - 1)) : '', to: today ?? '' }, { enabled: today !== undefined });

  const daily = useMemo(() => (series.data ? dailyChart(series.data, forecast.data) : null), [series.data, forecast.data]);
  const month = useMemo(() => (series.data && forecast.data ? monthChart(series.data, forecast.data) : null), [series.data, forecast.data]);
  const label = useCallback(
    (line: ChartLine) => (line.role === 'provider' ? t(`providers.names.${line.provider}`, { defaultValue: line.provider }) : t(`costs.chart.${line.role}`)),
    [t],
  );

  const error = stats.error ?? series.error ?? forecast.error;
  const empty =
    stats.data && series.data && stats.data.last30Days.total.requests === 0 && stats.data.thisMonth.total.requests === 0 && series.data.totals.every((m) => m === 0);

  return (
    <section aria-labelledby="page-title" className="stack costs-page">
      <PageHeading>{t('costs.title')}</PageHeading>
      <RebuildProgress />
      <SyncCard hideWhenOff />
      <ScopeSwitch scope={scope} onChange={setScope} sandbox={sandbox} />
      {team && today ? <TeamCostsView today={today} seatView={seatView()} /> : seatView()}
    </section>
  );

  function seatView() {
    return (
      <>
      {error && <p className="error" role="alert">{t('costs.error', { message: describeError(t, error) })}</p>}
      {!error && (stats.isPending || series.isPending) && <p>{t('costs.loading')}</p>}
      {empty && (
        <div className="empty" data-testid="costs-empty">
          <strong>{t('costs.empty.title')}</strong>
          <p>{t('costs.empty.body')}</p>
          <p className="actions">
            <Link href={paths.page('playground')}>{t('costs.empty.playground')}</Link>
            <Link href={paths.settings('general')}>{t('costs.empty.sandbox')}</Link>
          </p>
        </div>
      )}
      {stats.data && !empty && (
        <>
          <CostsSummary stats={stats.data} forecast={forecast.data} />
          {forecast.data && forecast.data.scopedBudgets.length > 0 && <ScopedBudgets budgets={forecast.data.scopedBudgets} />}
          {daily && (
            <div className="card">
              <div className="card-head">
                <h2>{t('costs.chart.dailyTitle', { days: SPEND_DAYS })}</h2>
                <small className="muted">{t('costs.zone', { zone: stats.data.zone })}</small>
              </div>
              <SpendChart data={daily} label={label} dayLabel={t('costs.chart.day')} money={money.dollars} locale={money.locale} testId="daily-chart" title={t('costs.chart.dailyTitle', { days: SPEND_DAYS })} />
            </div>
          )}
          {month && (
            <div className="card">
              <h2>{t('costs.chart.monthTitle')}</h2>
              <SpendChart data={month} label={label} dayLabel={t('costs.chart.day')} money={money.dollars} locale={money.locale} testId="month-chart" title={t('costs.chart.monthTitle')} />
            </div>
          )}
          <BreakdownSection today={stats.data.today.from} />
        </>
      )}
      </>
    );
  }
}
