/**
 * The Costs charts' data, built from the core's answers and nothing else, so what is drawn is
 * testable without a canvas. Days are the agency's local days; x values are the UTC midnight
 * of each date in seconds, and the chart labels them in UTC so a date never shifts a day.
 */
import type { CostSeries } from '../../../../shared/costs';
import { dayNumber, type ForecastOutput } from '../../../../shared/forecast';

export const SPEND_DAYS = 60;

const x = (date: string) => dayNumber(date) * 86_400;

export interface ChartLine {
  id: string;
  /** A provider id, or the forecast's and budgets' own roles. */
  role: 'provider' | 'median' | 'p10' | 'p90' | 'budget' | 'actual';
  provider?: string;
  values: (number | null)[];
}

export interface ChartData {
  x: number[];
  /** Drawn in this order; the p90/p10 pair is filled between. */
  lines: ChartLine[];
  /** Everything spent over the days shown (micros): what the page says the chart holds. */
  totalMicros: number;
}

const dollars = (micros: number) => micros / 1_000_000;

/**
 * Daily spend stacked by provider (each line is the running sum up to it, the tallest first so
 * the ones below draw over it), then today to month end: the median day and its p10–p90 band,
 * and the daily budget as a flat line.
 */
export function dailyChart(series: CostSeries, forecast: ForecastOutput | undefined): ChartData {
  const today = series.days.at(-1);
  const future = (forecast?.path ?? []).filter((p) => today === undefined || p.date >= today);
  const dates = [...series.days, ...future.filter((p) => p.date !== today).map((p) => p.date)];
  const pad = dates.length - series.days.length;
  const running = new Array<number>(series.days.length).fill(0);
  const stacks: ChartLine[] = series.series.map((s) => {
    s.micros.forEach((m, i) => (running[i]! += m));
    return { id: `provider-${s.provider}`, role: 'provider', provider: s.provider, values: [...running.map(dollars), ...new Array<null>(pad).fill(null)] };
  });
  const lines = stacks.reverse();
  if (future.length) {
    const at = (pick: (p: ForecastOutput['path'][number]) => number): (number | null)[] => {
      const byDate = new Map(future.map((p) => [p.date, dollars(pick(p))]));
      return dates.map((d) => byDate.get(d) ?? null);
    };
    lines.push({ id: 'p90', role: 'p90', values: at((p) => p.daily.p90) });
    lines.push({ id: 'p10', role: 'p10', values: at((p) => p.daily.p10) });
    lines.push({ id: 'median', role: 'median', values: at((p) => p.daily.p50) });
  }
  for (const b of forecast?.budgets ?? []) {
    if (b.period === 'daily') lines.push({ id: b.id, role: 'budget', values: dates.map(() => dollars(b.amountMicros)) });
  }
  return { x: dates.map(x), lines, totalMicros: series.totals.reduce((a, b) => a + b, 0) };
}

/**
 * This month's running total: what was spent day by day, then the median path with its band to
 * month end (starting from today's actual figure, so the two meet), and the monthly budget.
 */
export function monthChart(series: CostSeries, forecast: ForecastOutput): ChartData {
  const today = series.days.at(-1) ?? forecast.path[0]!.date;
  const monthStart = `${today.slice(0, 8)}01`;
  const dates: string[] = [];
  for (let d = dayNumber(monthStart); d <= dayNumber(forecast.path.at(-1)!.date); d++) dates.push(new Date(d * 86_400_000).toISOString().slice(0, 10));
  const spent = new Map<string, number>();
  let run = 0;
  series.days.forEach((d, i) => {
    if (d < monthStart) return;
    run += series.totals[i]!;
    spent.set(d, run);
  });
  const band = new Map(forecast.path.map((p) => [p.date, p.cumulative]));
  const pick = (q: 'p10' | 'p50' | 'p90') => dates.map((d) => (band.has(d) ? dollars(band.get(d)![q]) : null));
  const lines: ChartLine[] = [
    { id: 'actual', role: 'actual', values: dates.map((d) => (d <= today ? dollars(spent.get(d) ?? 0) : null)) },
    { id: 'p90', role: 'p90', values: pick('p90') },
    { id: 'p10', role: 'p10', values: pick('p10') },
    { id: 'median', role: 'median', values: pick('p50') },
  ];
  for (const b of forecast.budgets) {
    if (b.period === 'monthly') lines.push({ id: b.id, role: 'budget', values: dates.map(() => dollars(b.amountMicros)) });
  }
  return { x: dates.map(x), lines, totalMicros: forecast.monthToDateMicros };
}
