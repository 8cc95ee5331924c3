/**
 * The two halves of the spend model: multiplicative weekday factors, and a level/trend fitted on
 * the series once those factors are divided out.
 *
 * Why Holt's damped linear trend rather than a straight line: an agency's AI spend moves in steps
 * (a new creator, a new campaign type, a cheaper model) more than along one line, so the level
 * must follow recent days; a regression over all history is pulled by months that no longer
 * matter. Holt is exponentially discounted least squares for a local line, costs O(n), and its
 * state-space form gives the simulation for the interval for free. The trend is damped, and may
 * be switched off, because a month of extrapolation on a slope that lasted a fortnight does more
 * harm than ignoring it. Parameters are chosen on the quantity asked for, the error of the next
 * fortnight's *sum*, rather than one-step error, which rewards chasing yesterday's noise.
 */

/** Weekday factors look at the last twelve weeks: a pattern from last year says little about next week. */
const FACTOR_WINDOW_DAYS = 84;
/** Fallback shrinkage when the spread within a weekday cannot be measured (fewer than two samples each). */
const FALLBACK_SHRINK_SAMPLES = 2;

export interface WeekdayFit {
  /** Index 0 = Sunday; mean 1. */
  factors: number[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const normalised = (fs: number[]): number[] => {
  const mean = fs.reduce((a, b) => a + b, 0) / fs.length;
  return mean > 0 ? fs.map((f) => f / mean) : fs.map(() => 1);
};

/**
 * Classical decomposition: each day's ratio to the centred 7-day mean, the median ratio per
 * weekday (medians, because a campaign burst is one day, not a pattern), then shrunk toward 1 by
 * how much of the weekday spread the within-weekday noise could explain (empirical Bayes). A noise-
 * free pattern keeps its exact factors; two noisy weeks keep little more than a hint.
 * `firstWeekday` is the weekday of `y[0]`. Null when fewer than 14 days.
 */
export function fitWeekdayFactors(y: readonly number[], firstWeekday: number): WeekdayFit | null {
  const n = y.length;
  if (n < 14) return null;
  const start = Math.max(0, n - FACTOR_WINDOW_DAYS);
  const prefix = new Float64Array(n + 1);
  for (let t = 0; t < n; t++) prefix[t + 1] = prefix[t]! + y[t]!;
  const ratios: number[][] = Array.from({ length: 7 }, () => []);
  for (let t = start + 3; t <= n - 4; t++) {
    const mean = (prefix[t + 4]! - prefix[t - 3]!) / 7;
    if (mean > 0) ratios[(firstWeekday + t) % 7]!.push(y[t]! / mean);
  }
  if (ratios.some((r) => r.length === 0)) return null;
  const raw = normalised(ratios.map(median));

  // Pooled within-weekday variance of the ratios, against the variance of the factors themselves.
  let within = 0;
  let dof = 0;
  ratios.forEach((r) => {
    if (r.length < 2) return;
    const m = r.reduce((a, b) => a + b, 0) / r.length;
    for (const x of r) within += (x - m) ** 2;
    dof += r.length - 1;
  });
  const between = raw.reduce((a, f) => a + (f - 1) ** 2, 0) / 7;
  const shrunk = raw.map((f, w) => {
    const count = ratios[w]!.length;
    let weight: number;
    if (dof > 0) {
      const noise = within / dof / count;
      const signal = Math.max(0, between - noise);
      weight = signal + noise > 0 ? signal / (signal + noise) : 1;
    } else {
      weight = count / (count + FALLBACK_SHRINK_SAMPLES);
    }
    return 1 + (f - 1) * weight;
  });
  return { factors: normalised(shrunk) };
}

export interface HoltFit {
  level: number;
  trend: number;
  alpha: number;
  beta: number;
  phi: number;
  /** One-step errors of the chosen fit, oldest first (warm-up excluded). */
  residuals: number[];
}

const ALPHAS = [0.015, 0.03, 0.06, 0.1, 0.2, 0.35, 0.6];
const BETAS = [0.002, 0.01, 0.04];
const PHIS = [0.95, 0.98, 1];
/** The selection criterion's horizon: two weeks' sum averages weekday noise out and makes a slope count. */
const CRITERION_DAYS = 14;
const WARM_UP_DAYS = 7;

/** Σ_{h=1..H} Σ_{j=1..h} φ^j: what a damped trend adds, in units of b, to an H-day sum. */
function dampedSum(phi: number, horizon: number): number {
  let acc = 0;
  let partial = 0;
  let power = 1;
  for (let h = 1; h <= horizon; h++) {
    power *= phi;
    partial += power;
    acc += partial;
  }
  return acc;
}

interface Run {
  score: number;
  level: number;
  trend: number;
}

/** One pass in error-correction form, scoring every origin's next-fortnight sum against the truth. */
function run(z: readonly number[], prefix: Float64Array, alpha: number, beta: number, phi: number, level0: number, trend0: number): Run {
  const n = z.length;
  const bSum = dampedSum(phi, CRITERION_DAYS);
  let l = level0;
  let b = trend0;
  let score = 0;
  for (let t = 0; t < n; t++) {
    if (t >= WARM_UP_DAYS && t + CRITERION_DAYS <= n) {
      const actual = prefix[t + CRITERION_DAYS]! - prefix[t]!;
      const predicted = CRITERION_DAYS * l + bSum * b;
      score += (actual - predicted) ** 2;
    }
    const e = z[t]! - (l + phi * b);
    l = l + phi * b + alpha * e;
    b = phi * b + beta * e;
  }
  return { score, level: l, trend: b };
}

/**
 * Fits Holt's damped trend on a deseasonalised series of at least 7 days, picking α, β, φ from a
 * small grid by the criterion above. `withTrend` false fixes β = 0 and the trend at 0 (a local
 * level), for histories too short to tell a slope from noise.
 */
export function fitHolt(z: readonly number[], withTrend: boolean): HoltFit {
  const n = z.length;
  const prefix = new Float64Array(n + 1);
  for (let t = 0; t < n; t++) prefix[t + 1] = prefix[t]! + z[t]!;
  // Start from a least-squares line through the first four weeks, so the first forecasts neither
  // lag a slope nor take one weekday's noise for it.
  const span = Math.min(n, 28);
  const meanX = (span - 1) / 2;
  const meanZ = prefix[span]! / span;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < span; t++) {
    sxy += (t - meanX) * (z[t]! - meanZ);
    sxx += (t - meanX) ** 2;
  }
  const trend0 = withTrend && sxx > 0 ? sxy / sxx : 0;
  const level0 = meanZ - trend0 * (meanX + 1);
  let best: (Run & { alpha: number; beta: number; phi: number }) | null = null;
  for (const alpha of ALPHAS) {
    for (const beta of withTrend ? BETAS : [0]) {
      for (const phi of withTrend ? PHIS : [1]) {
        const r = run(z, prefix, alpha, beta, phi, level0, trend0);
        if (!best || r.score < best.score) best = { ...r, alpha, beta, phi };
      }
    }
  }
  const chosen = best!;
  // Replay the winner once more for its one-step errors; cheaper than keeping every candidate's.
  const residuals: number[] = [];
  let l = level0;
  let b = trend0;
  for (let t = 0; t < n; t++) {
    const e = z[t]! - (l + chosen.phi * b);
    if (t >= WARM_UP_DAYS) residuals.push(e);
    l = l + chosen.phi * b + chosen.alpha * e;
    b = chosen.phi * b + chosen.beta * e;
  }
  return { level: chosen.level, trend: chosen.trend, alpha: chosen.alpha, beta: chosen.beta, phi: chosen.phi, residuals };
}
