/**
 * The month-end spend forecast: weekday factors × a Holt level/trend (see forecast-model.ts), a
 * p10–p90 band from simulated paths that resample the model's own one-step errors, and the day
 * each budget is projected to be crossed. Pure and deterministic: same input, same output (the
 * simulation draws from a fixed seed), so the Costs page shows a steady band on every load.
 *
 * Expects input that `forecastInputSchema` accepted; the handler parses, this computes.
 */
import {
  type ForecastBand,
  type ForecastInput,
  type ForecastMethod,
  type ForecastOutput,
  addDays,
  dayNumber,
  weekdayOf,
} from '../../shared/forecast';
import { fitHolt, fitWeekdayFactors, type HoltFit } from './forecast-model';
import { type Random, seededRandom } from './random';

export interface ForecastOptions {
  seed?: number;
  /** Simulated paths behind the band; 256 keeps p10/p90 steady to a few percent within the 2 ms budget. */
  simulations?: number;
}

const DEFAULT_SEED = 0x5eed;
const DEFAULT_SIMULATIONS = 256;
/** Recent errors only: the noise of a year ago, at a tenth of today's spend, would shrink the band. */
const RESIDUAL_WINDOW_DAYS = 91;
/** Below this much of today gone, today's spend is too little to extrapolate (a midnight burst). */
const MIN_RUN_RATE_FRACTION = 0.1;
/**
 * With fewer than two weeks the spread of days is barely measured, so each simulated day may also
 * be half the level higher or lower; without it one quiet day would give a zero-width band.
 */
const SHORT_HISTORY_SPREAD = 0.5;

/** What the simulation needs, whichever method produced it. */
interface Model extends HoltFit {
  method: ForecastMethod;
  /** Per weekday (0 = Sunday); all 1 without a pattern. */
  factors: number[];
  /** Short histories: each path's level is also off by a resampled error over √n (the mean's own error). */
  levelJitter: number;
}

const ONES = [1, 1, 1, 1, 1, 1, 1];

function chooseModel(history: readonly number[], firstWeekday: number, today: { spent: number; fraction: number }): Model {
  const n = history.length;
  const base = { factors: ONES, trend: 0, alpha: 0, beta: 0, phi: 1, levelJitter: 0 };
  if (n === 0) {
    if (today.fraction < MIN_RUN_RATE_FRACTION) return { ...base, method: 'none', level: 0, residuals: [0] };
    const level = today.spent / today.fraction;
    const spread = SHORT_HISTORY_SPREAD * level;
    return { ...base, method: 'today_run_rate', level, residuals: [-spread, 0, spread], levelJitter: 1 };
  }
  if (n < 14) {
    const level = history.reduce((a, b) => a + b, 0) / n;
    const spread = SHORT_HISTORY_SPREAD * level;
    const residuals = [...history.map((y) => y - level), -spread, spread];
    return { ...base, method: 'recent_mean', level, residuals, levelJitter: 1 / Math.sqrt(n) };
  }
  const weekday = fitWeekdayFactors(history, firstWeekday);
  const factors = weekday?.factors ?? ONES;
  // A zero factor (a weekday that never spends) carries no information about the level.
  const z = history.map((y, t) => {
    const f = factors[(firstWeekday + t) % 7]!;
    return f > 0 ? y / f : 0;
  });
  const withTrend = n >= 28;
  const holt = fitHolt(z, withTrend);
  return {
    method: withTrend ? 'weekday_holt' : 'weekday_level',
    factors,
    level: holt.level,
    trend: holt.trend,
    alpha: holt.alpha,
    beta: holt.beta,
    phi: holt.phi,
    residuals: holt.residuals.slice(-RESIDUAL_WINDOW_DAYS),
    // The fitted level is itself an estimate: with smoothing α its error has about α/(2−α) of a
    // day's error variance, and over the rest of the month that error counts once per day.
    levelJitter: Math.sqrt(holt.alpha / (2 - holt.alpha)),
  };
}

/** The median path: the model's point forecast for each day from today on (today's in full). */
function pointPath(model: Model, weekdays: number[]): number[] {
  const out: number[] = [];
  let l = model.level;
  let b = model.trend;
  for (const w of weekdays) {
    const mu = l + model.phi * b;
    out.push(Math.max(0, mu * model.factors[w]!));
    l = mu;
    b = model.phi * b;
  }
  return out;
}

/**
 * Paths in Holt's state-space form: each day's error is a resampled one-step error, and it moves
 * the level and trend as it would have in the fit, so uncertainty grows with the horizon.
 * Returns daily and cumulative values as [path][day]-major flat arrays.
 */
function simulate(model: Model, weekdays: number[], todayRemaining: number, paths: number, random: Random) {
  const days = weekdays.length;
  const daily = new Float64Array(paths * days);
  const pick = () => model.residuals[Math.floor(random() * model.residuals.length)]!;
  for (let s = 0; s < paths; s++) {
    let l = model.level + (model.levelJitter ? pick() * model.levelJitter : 0);
    let b = model.trend;
    for (let d = 0; d < days; d++) {
      const mu = l + model.phi * b;
      const e = pick();
      const value = Math.max(0, (mu + e) * model.factors[weekdays[d]!]!);
      daily[s * days + d] = d === 0 ? value * todayRemaining : value;
      l = mu + model.alpha * e;
      b = model.phi * b + model.beta * e;
    }
  }
  return daily;
}

/** Nearest-rank quantiles of column `d` of a [path][day] array. */
function columnQuantiles(values: Float64Array, paths: number, days: number, d: number, scratch: Float64Array): [number, number] {
  for (let s = 0; s < paths; s++) scratch[s] = values[s * days + d]!;
  scratch.sort();
  const at = (q: number) => scratch[Math.min(paths - 1, Math.max(0, Math.ceil(q * paths) - 1))]!;
  return [at(0.1), at(0.9)];
}

const band = (low: number, mid: number, high: number): ForecastBand => ({
  p10: Math.min(Math.round(low), mid),
  p50: mid,
  p90: Math.max(Math.round(high), mid),
});

export function forecastSpend(input: ForecastInput, options: ForecastOptions = {}): ForecastOutput {
  const paths = options.simulations ?? DEFAULT_SIMULATIONS;
  const { series, today, monthEnd } = input;
  const spentToday = series.at(-1)!.micros;
  const history = series.slice(0, -1).map((d) => d.micros);
  const firstWeekday = series.length > 1 ? weekdayOf(series[0]!.date) : 0;
  const model = chooseModel(history, firstWeekday, { spent: spentToday, fraction: today.elapsedFraction });

  const monthStart = `${today.date.slice(0, 8)}01`;
  let monthToDate = 0;
  for (const d of series) if (d.date >= monthStart) monthToDate += d.micros;
  const beforeToday = monthToDate - spentToday;

  const days = dayNumber(monthEnd) - dayNumber(today.date) + 1;
  const dates = Array.from({ length: days }, (_, d) => addDays(today.date, d));
  const weekdays = dates.map((_, d) => (weekdayOf(today.date) + d) % 7);
  const remaining = 1 - today.elapsedFraction;

  // Rounded once, on the running total, so the days sum to the month end to the micro-dollar.
  const point = pointPath(model, weekdays);
  const cumulativeP50: number[] = [];
  let running = beforeToday + spentToday;
  for (let d = 0; d < days; d++) {
    running += d === 0 ? point[0]! * remaining : point[d]!;
    cumulativeP50.push(Math.round(running));
  }

  const simulated = simulate(model, weekdays, remaining, paths, seededRandom(options.seed ?? DEFAULT_SEED));
  const cumulative = new Float64Array(simulated.length);
  for (let s = 0; s < paths; s++) {
    let acc = beforeToday + spentToday;
    for (let d = 0; d < days; d++) {
      acc += simulated[s * days + d]!;
      cumulative[s * days + d] = acc;
    }
  }
  const scratch = new Float64Array(paths);
  const path = dates.map((date, d) => {
    const previous = d === 0 ? beforeToday : cumulativeP50[d - 1]!;
    const dailyP50 = cumulativeP50[d]! - previous;
    const [dLow, dHigh] = columnQuantiles(simulated, paths, days, d, scratch);
    const [cLow, cHigh] = columnQuantiles(cumulative, paths, days, d, scratch);
    const todayShift = d === 0 ? spentToday : 0;
    return {
      date,
      daily: band(dLow + todayShift, dailyP50, dHigh + todayShift),
      cumulative: band(cLow, cumulativeP50[d]!, cHigh),
    };
  });

  const crossing = (series: number[], amount: number) => {
    const d = series.findIndex((v) => v > amount);
    return d < 0 ? null : dates[d]!;
  };
  const budgets = input.budgets.map((b) => {
    const pick = (q: 'p50' | 'p90') => path.map((p) => (b.period === 'daily' ? p.daily : p.cumulative)[q]);
    return { ...b, crossesOn: crossing(pick('p50'), b.amountMicros), earliestOn: crossing(pick('p90'), b.amountMicros) };
  });

  return {
    method: model.method,
    basis: {
      historyDays: history.length,
      firstDate: history.length ? series[0]!.date : null,
      lastDate: history.length ? series.at(-2)!.date : null,
      weekdayFactors: model.factors === ONES ? null : model.factors,
    },
    monthToDateMicros: monthToDate,
    monthEnd: path.at(-1)!.cumulative,
    path,
    budgets,
  };
}
