import type { BudgetThreshold } from '../../shared/budgets';
import { isoDay } from '../../shared/costs';
import { lastDayOfMonth } from '../../shared/forecast';
import { forecastSpend } from '../costs/forecast';
import type { LocalCalendar } from '../costs/localtime';
import type { ScopeSpend } from './spend';

/** Eight weeks: enough for the weekday pattern and a trend, a bounded read of the day rollups. */
const HISTORY_DAYS = 56;
const DAY_MS = 86_400_000;

/**
 * Monthly thresholds whose median month-end projection (main/costs/forecast.ts) goes over the
 * amount while the spend so far has not: the operator is told before the budget breaks.
 */
export function projectedOverruns(
  spend: ScopeSpend,
  cal: LocalCalendar,
  now: number,
  today: number,
  thresholds: readonly BudgetThreshold[],
  spentThisMonth: (t: BudgetThreshold) => number,
): { threshold: BudgetThreshold; projectedMicros: number }[] {
  const from = today - HISTORY_DAYS;
  const elapsedFraction = Math.min(1, Math.max(0, ((now + cal.offset(now)) % DAY_MS) / DAY_MS));
  const date = isoDay(today);
  const out = [];
  for (const t of thresholds) {
    if (spentThisMonth(t) >= t.amountMicros) continue; // already over: the 100 % level says so
    const daily = spend.daily(t, from, today + 1);
    // Days before the first spend are not zero-spend days, they are days before the app was used.
    const first = daily.findIndex((m) => m > 0);
    if (first < 0) continue;
    const series = daily.slice(first).map((micros, i) => ({ date: isoDay(from + first + i), micros }));
    const result = forecastSpend({
      series,
      today: { date, elapsedFraction },
      monthEnd: lastDayOfMonth(date),
      budgets: [{ id: t.id, period: 'monthly', amountMicros: t.amountMicros }],
    });
    if (result.budgets[0]?.crossesOn) out.push({ threshold: t, projectedMicros: result.monthEnd.p50 });
  }
  return out;
}
