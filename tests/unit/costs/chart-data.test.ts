import { describe, expect, it } from 'vitest';
import { forecastSpend } from '../../../main/costs/forecast';
import { dailyChart, monthChart } from '../../../renderer/src/pages/costs/chartData';
import type { CostSeries } from '../../../shared/costs';
import { dayNumber } from '../../../shared/forecast';

const days = ['2026-11-25', '2026-11-26', '2026-11-27'];
const series: CostSeries = {
  zone: 'UTC',
  days,
  series: [
    { provider: 'azure', model: null, micros: [1_000_000, 0, 250_000] },
    { provider: 'openai', model: null, micros: [500_000, 2_000_000, 0] },
  ],
  totals: [1_500_000, 2_000_000, 250_000],
};
const forecast = forecastSpend({
  series: days.map((date, i) => ({ date, micros: series.totals[i]! })),
  today: { date: '2026-11-27', elapsedFraction: 0.5 },
  monthEnd: '2026-11-30',
  budgets: [
    { id: 'daily-hard', period: 'daily', amountMicros: 3_000_000 },
    { id: 'monthly-hard', period: 'monthly', amountMicros: 9_000_000 },
  ],
});

describe('the Costs chart data', () => {
  it('stacks providers as running sums, tallest first, and continues with the forecast band and the daily limit to month end', () => {
    const chart = dailyChart(series, forecast);
    expect(chart.x).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'].map((d) => dayNumber(d) * 86_400));
    expect(chart.totalMicros).toBe(3_750_000);
    expect(chart.lines.map((l) => l.id)).toEqual(['provider-openai', 'provider-azure', 'p90', 'p10', 'median', 'daily-hard']);
    expect(chart.lines[0]!.values).toEqual([1.5, 2, 0.25, null, null, null]);
    expect(chart.lines[1]!.values).toEqual([1, 0, 0.25, null, null, null]);
    const median = chart.lines[4]!.values;
    expect(median.slice(0, 2)).toEqual([null, null]);
    expect(median.slice(2)).toEqual(forecast.path.map((p) => p.daily.p50 / 1e6));
    for (let i = 2; i < 6; i++) expect(chart.lines[3]!.values[i]!).toBeLessThanOrEqual(chart.lines[2]!.values[i]!);
    expect(chart.lines[5]!.values).toEqual([3, 3, 3, 3, 3, 3]);
  });

  it('runs the month total from the 1st, meets the median path at today, and draws the monthly limit', () => {
    const chart = monthChart(series, forecast);
    expect(chart.x).toHaveLength(30);
    const actual = chart.lines.find((l) => l.id === 'actual')!.values;
    expect(actual.slice(23, 27)).toEqual([0, 1.5, 3.5, 3.75]);
    expect(actual.slice(27)).toEqual([null, null, null]);
    const median = chart.lines.find((l) => l.id === 'median')!.values;
    expect(median.slice(0, 26).every((v) => v === null)).toBe(true);
    expect(median.at(-1)).toBe(forecast.monthEnd.p50 / 1e6);
    expect(chart.lines.find((l) => l.id === 'monthly-hard')!.values.every((v) => v === 9)).toBe(true);
    expect(chart.lines.some((l) => l.id === 'daily-hard')).toBe(false);
    expect(chart.totalMicros).toBe(3_750_000);
  });
});
