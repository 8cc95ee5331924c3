/**
 * How good is the forecast? Synthetic daily spend with a known trend, weekly pattern and noise,
 * forecast from every day of every month (as the Costs page would on that day), against the
 * straight line other tools draw: a least-squares line through the same history, run to month
 * end. Both see exactly the same days, so the difference is the method.
 */
import { type ForecastInput, addDays, lastDayOfMonth, weekdayOf } from '../shared/forecast';
import { forecastSpend } from '../main/costs/forecast';
import { normal, seededRandom } from '../main/costs/random';

export interface SyntheticSpec {
  seed: number;
  start: string;
  days: number;
  /** Mean daily spend on day 0, in micro-dollars. */
  baseMicros: number;
  /** Linear growth of the mean, as a fraction of `baseMicros` per day (negative for a decline). */
  trendPerDay: number;
  /** Multiplicative weekday pattern, Sunday first; normalised to mean 1 here. */
  weekly: readonly number[];
  /** Standard deviation of the multiplicative day noise (0.2 = ±20 %). */
  noise: number;
}

export interface Day {
  date: string;
  micros: number;
}

/** The same spec and seed always give the same series. */
export function syntheticSeries(spec: SyntheticSpec): Day[] {
  const random = seededRandom(spec.seed);
  const mean = spec.weekly.reduce((a, b) => a + b, 0) / spec.weekly.length;
  return Array.from({ length: spec.days }, (_, t) => {
    const date = addDays(spec.start, t);
    const level = Math.max(0, spec.baseMicros * (1 + spec.trendPerDay * t));
    const weekly = spec.weekly[weekdayOf(date)]! / mean;
    const noise = Math.max(0, 1 + spec.noise * normal(random));
    return { date, micros: Math.round(level * weekly * noise) };
  });
}

/** Least-squares line through the history, summed over the rest of the month (today's remainder included). */
export function linearMonthEnd(input: ForecastInput): number {
  const history = input.series.slice(0, -1).map((d) => d.micros);
  const n = history.length;
  const monthStart = `${input.today.date.slice(0, 8)}01`;
  const monthToDate = input.series.filter((d) => d.date >= monthStart).reduce((a, d) => a + d.micros, 0);
  if (n === 0) return monthToDate;
  const meanX = (n - 1) / 2;
  const meanY = history.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  history.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxx > 0 ? sxy / sxx : 0;
  const at = (x: number) => Math.max(0, meanY + slope * (x - meanX));
  let total = monthToDate + (1 - input.today.elapsedFraction) * at(n);
  for (let x = n + 1, date = addDays(input.today.date, 1); date <= input.monthEnd; x++, date = addDays(date, 1)) total += at(x);
  return Math.round(total);
}

export interface BacktestOptions {
  /** Complete days of history each forecast sees. */
  historyDays?: number;
  /** How much of "today" has gone by at each cut; today's spend so far is that share of the day's. */
  elapsedFraction?: number;
}

export interface BacktestResult {
  /** Mean absolute percentage error of the month-end p50, in percent. */
  mape: number;
  mapeLinear: number;
  /** Share of month ends that fell within p10–p90 (ideally about 0.8). */
  coverage: number;
  cuts: number;
}

/** Forecasts every complete month's end from each of its days that has `historyDays` behind it. */
export function backtest(series: readonly Day[], options: BacktestOptions = {}): BacktestResult {
  const historyDays = options.historyDays ?? 91;
  const fraction = options.elapsedFraction ?? 0.5;
  let errors = 0;
  let errorsLinear = 0;
  let covered = 0;
  let cuts = 0;
  for (let c = historyDays; c < series.length; c++) {
    const today = series[c]!.date;
    const monthEnd = lastDayOfMonth(today);
    const monthStart = `${today.slice(0, 8)}01`;
    const endIndex = c + (Number(monthEnd.slice(8)) - Number(today.slice(8)));
    const startIndex = c - (Number(today.slice(8)) - 1);
    if (endIndex >= series.length) break;
    let actual = 0;
    for (let i = startIndex; i <= endIndex; i++) actual += series[i]!.micros;
    if (actual === 0 || series[startIndex]!.date !== monthStart) continue;

    const window = series.slice(c - historyDays, c + 1).map((d) => ({ ...d }));
    window[window.length - 1]!.micros = Math.round(series[c]!.micros * fraction);
    const input: ForecastInput = { series: window, today: { date: today, elapsedFraction: fraction }, monthEnd, budgets: [] };
    const out = forecastSpend(input);
    errors += Math.abs(out.monthEnd.p50 - actual) / actual;
    errorsLinear += Math.abs(linearMonthEnd(input) - actual) / actual;
    if (out.monthEnd.p10 <= actual && actual <= out.monthEnd.p90) covered++;
    cuts++;
  }
  return { mape: (100 * errors) / cuts, mapeLinear: (100 * errorsLinear) / cuts, coverage: covered / cuts, cuts };
}

/**
 * The bench's scenarios: agency-like spend (quiet weekends, a busy start of week) growing, flat
 * and declining, at several noise levels, over thirteen months each. Fixed seeds: the figures
 * move only when the method does.
 */
export const BENCH_SCENARIOS: readonly SyntheticSpec[] = [
  { seed: 1, start: '2024-01-01', days: 396, baseMicros: 40_000_000, trendPerDay: 0.002, weekly: [0.45, 1.25, 1.2, 1.1, 1.1, 1.05, 0.55], noise: 0.15 },
  { seed: 2, start: '2024-03-01', days: 396, baseMicros: 8_000_000, trendPerDay: 0, weekly: [0.6, 1.1, 1.15, 1.1, 1.05, 1.2, 0.8], noise: 0.25 },
  { seed: 3, start: '2023-11-01', days: 396, baseMicros: 120_000_000, trendPerDay: -0.0008, weekly: [0.3, 1.3, 1.3, 1.2, 1.2, 1.1, 0.4], noise: 0.1 },
  { seed: 4, start: '2024-06-01', days: 396, baseMicros: 2_500_000, trendPerDay: 0.004, weekly: [0.8, 1, 1.05, 1.1, 1.05, 1, 0.9], noise: 0.3 },
];
