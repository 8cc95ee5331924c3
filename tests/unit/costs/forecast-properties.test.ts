import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastSpend } from '../../../main/costs/forecast';
import { type ForecastInput, addDays, forecastInputSchema, forecastOutputSchema, lastDayOfMonth } from '../../../shared/forecast';

/** Any valid input: 0–200 complete days of spiky, zero-prone spend, any day of any month, any part of today. */
const arbitraryInput = fc
  .record({
    today: fc.integer({ min: 0, max: 3_000 }).map((d) => addDays('2023-01-01', d)),
    history: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50_000_000 })), { maxLength: 200 }),
    spentToday: fc.integer({ min: 0, max: 50_000_000 }),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    budgets: fc.array(
      fc.record({ period: fc.constantFrom('daily' as const, 'monthly' as const), amountMicros: fc.integer({ min: 0, max: 2_000_000_000 }) }),
      { maxLength: 4 },
    ),
  })
  .map(({ today, history, spentToday, fraction, budgets }): ForecastInput => {
    const start = addDays(today, -history.length);
    return forecastInputSchema.parse({
      series: [...history.map((micros, i) => ({ date: addDays(start, i), micros })), { date: today, micros: spentToday }],
      today: { date: today, elapsedFraction: fraction },
      monthEnd: lastDayOfMonth(today),
      budgets: budgets.map((b, i) => ({ ...b, id: `b${i}` })),
    });
  });

const FAST = { simulations: 64 };

describe('forecastSpend properties', () => {
  it('bands are ordered integers ≥ 0, the running total never falls, and the output passes its schema', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const out = forecastSpend(input, FAST);
        expect(forecastOutputSchema.safeParse(out).success).toBe(true);
        expect(out.path.at(-1)!.date).toBe(input.monthEnd);
        expect(out.path[0]!.cumulative.p10).toBeGreaterThanOrEqual(out.monthToDateMicros);
        for (const q of ['p10', 'p50', 'p90'] as const) {
          for (let d = 1; d < out.path.length; d++) {
            expect(out.path[d]!.cumulative[q]).toBeGreaterThanOrEqual(out.path[d - 1]!.cumulative[q]);
          }
        }
        // The median days add up to the month end exactly: rounded once, on the running total.
        const sum = out.path.reduce((a, p) => a + p.daily.p50, out.monthToDateMicros - input.series.at(-1)!.micros);
        expect(sum).toBe(out.monthEnd.p50);
      }),
      { numRuns: 150 },
    );
  });

  it('a budget already exceeded is crossed today; one above every path is never crossed', () => {
    fc.assert(
      fc.property(arbitraryInput, fc.integer({ min: 1, max: 1_000 }), (base, below) => {
        const spent = base.series.at(-1)!.micros;
        const monthToDate = base.series.filter((d) => d.date >= `${base.today.date.slice(0, 8)}01`).reduce((a, d) => a + d.micros, 0);
        fc.pre(spent >= below && monthToDate >= below);
        const probe = forecastSpend(base, FAST);
        const input = {
          ...base,
          budgets: [
            { id: 'day-over', period: 'daily' as const, amountMicros: spent - below },
            { id: 'month-over', period: 'monthly' as const, amountMicros: monthToDate - below },
            { id: 'day-never', period: 'daily' as const, amountMicros: Math.max(...probe.path.map((p) => p.daily.p90)) },
            { id: 'month-never', period: 'monthly' as const, amountMicros: probe.monthEnd.p90 },
          ],
        };
        const byId = Object.fromEntries(forecastSpend(input, FAST).budgets.map((b) => [b.id, b]));
        for (const id of ['day-over', 'month-over']) expect(byId[id]).toMatchObject({ crossesOn: base.today.date, earliestOn: base.today.date });
        for (const id of ['day-never', 'month-never']) expect(byId[id]).toMatchObject({ crossesOn: null, earliestOn: null });
      }),
      { numRuns: 100 },
    );
  });

  it('scaling the spend by k scales the projection by about k', () => {
    fc.assert(
      fc.property(arbitraryInput, fc.integer({ min: 2, max: 50 }), (input, k) => {
        const scaled = { ...input, series: input.series.map((d) => ({ ...d, micros: d.micros * k })) };
        const a = forecastSpend(input, FAST).monthEnd;
        const b = forecastSpend(scaled, FAST).monthEnd;
        // Rounding to the micro-dollar, once per day of the path, is all that may differ.
        for (const q of ['p10', 'p50', 'p90'] as const) expect(Math.abs(b[q] - k * a[q])).toBeLessThanOrEqual(k * 32);
      }),
      { numRuns: 150 },
    );
  });
});
