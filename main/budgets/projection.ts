import type { BudgetThreshold } from '../../shared/budgets';
import { isoDay } from '../../shared/costs';
import { type ForecastOutput, lastDayOfMonth } from '../../shared/forecast';
import { forecastSpend } from '../costs/forecast';
import type { LocalCalendar } from '../costs/localtime';
import type { ScopeSpend } from './spend';

/** Eight weeks: enough for the weekday pattern and a trend, a bounded read of the day rollups. */
const HISTORY_DAYS = 56;
const DAY_MS = 86_400_000;

/** Local today and how much of it has gone by, as the forecast takes it. */
export interface ForecastDay {
  date: string;
  elapsedFraction: number;
}

/**
 * One monthly threshold's forecast from its own scope's daily spend over the last eight weeks;
 * null before the scope's first spend. Shared by the projected-overrun alert and `costs.forecast`,
 * so the date on the Costs page is the one the alert is raised from.
 */
export function forecastThreshold(spend: Pick<ScopeSpend, 'daily'>, today: number, at: ForecastDay, t: BudgetThreshold): ForecastOutput | null {
  const from = today - HISTORY_DAYS;
  const daily = spend.daily(t, from, today + 1);
  // Days before the first spend are not zero-spend days, they are days before the app was used.
  const first = daily.findIndex((m) => m > 0);
  if (first < 0) return null;
  const series = daily.slice(first).map((micros, i) => ({ date: isoDay(from + first + i), micros }));
  return forecastSpend({ series, today: at, monthEnd: lastDayOfMonth(at.date), budgets: [{ id: t.id, period: 'monthly', amountMicros: t.amountMicros }] });
}

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
  const at = { date: isoDay(today), elapsedFraction: Math.min(1, Math.max(0, ((now + cal.offset(now)) % DAY_MS) / DAY_MS)) };
  const out = [];
  for (const t of thresholds) {
    if (spentThisMonth(t) >= t.amountMicros) continue; // already over: the 100 % level says so
    const result = forecastThreshold(spend, today, at, t);
    if (result?.budgets[0]?.crossesOn) out.push({ threshold: t, projectedMicros: result.monthEnd.p50 });
  }
  return out;
}
