import { describe, expect, it } from 'vitest';
import { BENCH_SCENARIOS, backtest, linearMonthEnd, syntheticSeries } from '../../../bench/forecast-backtest';
import { forecastBenchLines } from '../../../bench/suites/forecast';
import { forecastInputSchema, weekdayOf } from '../../../shared/forecast';

const WEEKLY = [0.3, 1.3, 1.3, 1.2, 1.2, 1.1, 0.4];

describe('synthetic series', () => {
  it('is the same for the same seed and carries its trend and weekly pattern', () => {
    const spec = { seed: 7, start: '2024-01-01', days: 364, baseMicros: 10_000_000, trendPerDay: 0.001, weekly: WEEKLY, noise: 0.1 };
    const a = syntheticSeries(spec);
    expect(syntheticSeries(spec)).toEqual(a);
    expect(syntheticSeries({ ...spec, seed: 8 })).not.toEqual(a);
    expect(a.every((d) => Number.isSafeInteger(d.micros) && d.micros >= 0)).toBe(true);
    const sum = (from: number) => a.slice(from, from + 91).reduce((s, d) => s + d.micros, 0);
    // The last quarter's mean over the first's: about (1 + 0.001 × 318) / (1 + 0.001 × 45).
    expect(sum(273) / sum(0)).toBeGreaterThan(1.2);
    expect(sum(273) / sum(0)).toBeLessThan(1.32);
    const byWeekday = [0, 0, 0, 0, 0, 0, 0];
    for (const d of a) byWeekday[weekdayOf(d.date)]! += d.micros;
    expect(byWeekday[0]! / byWeekday[1]!).toBeGreaterThan(0.2);
    expect(byWeekday[0]! / byWeekday[1]!).toBeLessThan(0.3);
  });
});

describe('the straight-line baseline', () => {
  it('extends an exact line to month end', () => {
    const series = Array.from({ length: 11 }, (_, i) => ({ date: `2025-01-${String(i + 10).padStart(2, '0')}`, micros: 100 * i }));
    series[10]!.micros = 500; // Half of the line's 1000 for the 20th.
    const input = forecastInputSchema.parse({ series, today: { date: '2025-01-20', elapsedFraction: 0.5 }, monthEnd: '2025-01-31', budgets: [] });
    let exact = 0;
    for (let i = 0; i <= 21; i++) exact += 100 * i;
    expect(linearMonthEnd(input)).toBe(exact);
  });
});

describe('backtest', () => {
  it('the engine beats the straight line on series with a weekly pattern', () => {
    const series = syntheticSeries({ seed: 11, start: '2024-01-01', days: 240, baseMicros: 50_000_000, trendPerDay: 0.001, weekly: WEEKLY, noise: 0.15 });
    const r = backtest(series);
    expect(r.cuts).toBeGreaterThan(100);
    // Fixed seed: 3.21 % against 3.77 % when written; a tenth better is the floor.
    expect(r.mape).toBeLessThan(r.mapeLinear * 0.9);
    // p10–p90 should hold about four month ends in five; the resampled errors leave out the
    // uncertainty of the fitted factors and parameters, so it holds somewhat fewer (0.57 here).
    expect(r.coverage).toBeGreaterThan(0.45);
    expect(r.coverage).toBeLessThan(0.95);
  });

  it('reports the bench lines with the linear baseline as the target', () => {
    expect(BENCH_SCENARIOS.length).toBeGreaterThan(1);
    const lines = forecastBenchLines();
    const byName = Object.fromEntries(lines.map((l) => [l.name, l]));
    expect(byName['costs.forecast_mape']!.value).toBeLessThan(byName['costs.forecast_mape_linear']!.value);
    expect(byName['costs.forecast_mape']!.target).toContain(String(byName['costs.forecast_mape_linear']!.value));
  });
});
