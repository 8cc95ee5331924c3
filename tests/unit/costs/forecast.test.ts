import { describe, expect, it } from 'vitest';
import { forecastSpend } from '../../../main/costs/forecast';
import {
  type ForecastBudget,
  type ForecastInput,
  addDays,
  forecastInputSchema,
  forecastOutputSchema,
  lastDayOfMonth,
  weekdayOf,
} from '../../../shared/forecast';

/** `days` complete days ending yesterday, `today` with `fraction` gone and `spentToday` so far. */
function input(
  values: (i: number, date: string) => number,
  opts: { days: number; today: string; fraction?: number; spentToday?: number; budgets?: ForecastBudget[] },
): ForecastInput {
  const start = addDays(opts.today, -opts.days);
  const series = Array.from({ length: opts.days }, (_, i) => {
    const date = addDays(start, i);
    return { date, micros: values(i, date) };
  });
  series.push({ date: opts.today, micros: opts.spentToday ?? 0 });
  return forecastInputSchema.parse({
    series,
    today: { date: opts.today, elapsedFraction: opts.fraction ?? 0 },
    monthEnd: lastDayOfMonth(opts.today),
    budgets: opts.budgets ?? [],
  });
}

const PATTERN = [400_000, 1_300_000, 1_200_000, 1_100_000, 1_000_000, 1_500_000, 500_000]; // Sunday first

describe('forecastSpend: known answers', () => {
  it('projects a flat series flat, to the micro-dollar', () => {
    const out = forecastSpend(input(() => 2_000_000, { days: 120, today: '2025-03-10' }));
    expect(out.method).toBe('weekday_holt');
    // 9 days of March behind, 22 to go including today.
    expect(out.monthToDateMicros).toBe(9 * 2_000_000);
    expect(out.monthEnd).toEqual({ p10: 62_000_000, p50: 62_000_000, p90: 62_000_000 });
    for (const day of out.path) expect(day.daily.p50).toBe(2_000_000);
    expect(out.basis.weekdayFactors).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(forecastOutputSchema.safeParse(out).success).toBe(true);
  });

  it('projects a noise-free weekly pattern to its exact month end, partial day included', () => {
    const today = '2025-05-14';
    const full = (date: string) => PATTERN[weekdayOf(date)]!;
    const out = forecastSpend(input((_, d) => full(d), { days: 70, today, fraction: 0.25, spentToday: full(today) / 4 }));
    let exact = 0;
    for (let d = '2025-05-01'; d <= '2025-05-31'; d = addDays(d, 1)) exact += full(d);
    expect(out.monthEnd.p50).toBe(exact);
    expect(out.path[0]!.daily.p50).toBe(full(today));
    expect(out.path.map((p) => p.daily.p50)).toEqual(out.path.map((p) => full(p.date)));
    const mean = PATTERN.reduce((a, b) => a + b, 0) / 7;
    out.basis.weekdayFactors!.forEach((f, w) => expect(f).toBeCloseTo(PATTERN[w]! / mean, 9));
  });

  it('follows a linear trend closely', () => {
    const slope = 10_000; // +1 cent a day
    const out = forecastSpend(input((i) => 1_000_000 + slope * i, { days: 200, today: '2025-08-01' }));
    let exact = 0;
    for (let i = 200; i < 231; i++) exact += 1_000_000 + slope * i;
    expect(Math.abs(out.monthEnd.p50 - exact) / exact).toBeLessThan(0.002);
  });

  it('falls back as history shrinks and says so', () => {
    const none = forecastSpend(input(() => 0, { days: 0, today: '2025-01-20', fraction: 0.05, spentToday: 300 }));
    expect(none.method).toBe('none');
    expect(none.monthEnd).toEqual({ p10: 300, p50: 300, p90: 300 });
    expect(none.basis).toEqual({ historyDays: 0, firstDate: null, lastDate: null, weekdayFactors: null });

    const run = forecastSpend(input(() => 0, { days: 0, today: '2025-01-30', fraction: 0.5, spentToday: 1_000_000 }));
    expect(run.method).toBe('today_run_rate');
    // 1 M so far at half-day: 2 M a day, so 1 M more today and 2 M tomorrow (the 31st).
    expect(run.monthEnd.p50).toBe(4_000_000);
    expect(run.monthEnd.p10).toBeLessThan(4_000_000);
    expect(run.monthEnd.p90).toBeGreaterThan(4_000_000);

    const one = forecastSpend(input(() => 5_000_000, { days: 1, today: '2025-01-30' }));
    expect(one.method).toBe('recent_mean');
    expect(one.monthEnd.p50).toBe(15_000_000);
    expect(one.monthEnd.p90).toBeGreaterThan(one.monthEnd.p10);

    const six = forecastSpend(input((i) => 1_000_000 * (i + 1), { days: 6, today: '2025-02-27' }));
    expect(six.method).toBe('recent_mean');
    expect(six.basis.historyDays).toBe(6);
    expect(six.monthEnd.p50).toBe(21_000_000 + 3_500_000 * 2);

    const fortnight = forecastSpend(input((_, d) => PATTERN[weekdayOf(d)]!, { days: 20, today: '2025-02-27' }));
    expect(fortnight.method).toBe('weekday_level');
    expect(fortnight.basis.weekdayFactors).not.toBeNull();
  });

  it('dates budget crossings on the median and the high path', () => {
    const out = forecastSpend(
      input(() => 1_000_000, {
        days: 60,
        today: '2025-06-11',
        budgets: [
          { id: 'month', period: 'monthly', amountMicros: 20_500_000 },
          { id: 'day', period: 'daily', amountMicros: 999_999 },
          { id: 'roomy', period: 'daily', amountMicros: 1_000_000 },
          { id: 'spent', period: 'monthly', amountMicros: 5_000_000 },
        ],
      }),
    );
    const byId = Object.fromEntries(out.budgets.map((b) => [b.id, b]));
    // 10 M by the 10th, 1 M a day: over 20.5 M on the 21st.
    expect(byId.month).toMatchObject({ crossesOn: '2025-06-21', earliestOn: '2025-06-21' });
    expect(byId.day).toMatchObject({ crossesOn: '2025-06-11', earliestOn: '2025-06-11' });
    // Reaching a budget is not going over it (the routing pre-flight's rule too).
    expect(byId.roomy).toMatchObject({ crossesOn: null, earliestOn: null });
    expect(byId.spent).toMatchObject({ crossesOn: '2025-06-11', earliestOn: '2025-06-11' });
  });

  it('gives the same band for the same input and a noisy series a real one', () => {
    const noisy = input((i) => 1_000_000 + ((i * 7919) % 13) * 50_000, { days: 90, today: '2025-04-03' });
    const a = forecastSpend(noisy);
    expect(forecastSpend(noisy)).toEqual(a);
    expect(a.monthEnd.p10).toBeLessThan(a.monthEnd.p50);
    expect(a.monthEnd.p90).toBeGreaterThan(a.monthEnd.p50);
    expect(forecastSpend(noisy, { seed: 99 }).monthEnd.p50).toBe(a.monthEnd.p50);
  });
});

describe('forecastInputSchema', () => {
  const ok = input(() => 1, { days: 3, today: '2025-01-10' });
  const issue = (value: unknown) => {
    const r = forecastInputSchema.safeParse(value);
    expect(r.success).toBe(false);
    return r.error!.issues[0]!;
  };

  it('refuses gaps, a series not ending today, a wrong month end, bad dates and money', () => {
    const gap = { ...ok, series: [ok.series[0], ...ok.series.slice(2)] };
    expect(issue(gap)).toMatchObject({ path: ['series', 1, 'date'], params: { rule: 'consecutive_dates' } });
    expect(issue({ ...ok, today: { date: '2025-01-11', elapsedFraction: 0 }, monthEnd: '2025-01-31' })).toMatchObject({
      params: { rule: 'series_ends_today' },
    });
    expect(issue({ ...ok, monthEnd: '2025-01-30' })).toMatchObject({ path: ['monthEnd'], params: { rule: 'last_day_of_month' } });
    expect(issue({ ...ok, monthEnd: '2025-02-30' }).path).toEqual(['monthEnd']);
    expect(issue({ ...ok, series: [...ok.series.slice(0, -1), { date: '2025-01-10', micros: 1.5 }] }).path).toEqual(['series', 3, 'micros']);
    expect(issue({ ...ok, series: [...ok.series.slice(0, -1), { date: '2025-01-10', micros: -1 }] }).path).toEqual(['series', 3, 'micros']);
    const twice = { id: 'a', period: 'daily', amountMicros: 1 };
    expect(issue({ ...ok, budgets: [twice, twice] })).toMatchObject({ path: ['budgets', 1, 'id'], params: { rule: 'unique' } });
    expect(issue({ ...ok, budgets: [{ ...twice, amountMicros: -5 }] }).path).toEqual(['budgets', 0, 'amountMicros']);
  });
});
