/**
 * Spend per budget scope read from the rollups (never a ledger scan): what the evaluator's
 * in-memory counters are seeded from at open, at a new local day or month, and on a zone change.
 */
import type { BudgetScope } from '../../shared/budgets';
import { isoDay } from '../../shared/costs';
import type { Db } from '../db/open';
import { civilOfDay, firstDayOfMonth, nextMonth } from '../costs/localtime';

export interface ScopeRef {
  scope: BudgetScope;
  target: string | null;
}

export const dayKey = (day: number): string => isoDay(day);
export const monthKey = (month: number): string => `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`;
export const monthDays = (month: number): [number, number] => [firstDayOfMonth(month), firstDayOfMonth(nextMonth(month))];

const DAY_LABEL = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
const MONTH_LABEL = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long' });

/** How a period reads in a message that leaves the app (email, Slack): English, the agency's local date. */
export function periodLabel(unit: 'day' | 'month', value: number): string {
  if (unit === 'day') return DAY_LABEL.format(value * 86_400_000);
  const c = civilOfDay(firstDayOfMonth(value));
  return MONTH_LABEL.format(Date.UTC(c.year, c.month - 1, 1));
}

export class ScopeSpend {
  private readonly global;
  private readonly provider;
  private readonly campaign;
  private readonly globalDays;
  private readonly providerDays;
  private readonly campaignDays;

  /** `settle` brings the rollups up to the ledger before each read (they trail it). */
  constructor(
    db: Db,
    private readonly settle: () => void = () => {},
  ) {
    this.global = db.prepare<[number, number], number>('SELECT COALESCE(SUM(cost_micros), 0) FROM cost_day_model WHERE day >= ? AND day < ?').pluck();
    this.provider = db
      .prepare<[number, number, string], number>('SELECT COALESCE(SUM(cost_micros), 0) FROM cost_day_model WHERE day >= ? AND day < ? AND provider = ?')
      .pluck();
    this.campaign = db
      .prepare<[string, number, number], number>('SELECT COALESCE(SUM(cost_micros), 0) FROM cost_day_campaign WHERE campaign_id = ? AND day >= ? AND day < ?')
      .pluck();
    const perDay = (from: string, where: string) => `SELECT day, SUM(cost_micros) AS micros FROM ${from} WHERE day >= ? AND day < ? ${where} GROUP BY day`;
    this.globalDays = db.prepare<[number, number], { day: number; micros: number }>(perDay('cost_day_model', ''));
    this.providerDays = db.prepare<[number, number, string], { day: number; micros: number }>(perDay('cost_day_model', 'AND provider = ?'));
    this.campaignDays = db.prepare<[number, number, string], { day: number; micros: number }>(perDay('cost_day_campaign', 'AND campaign_id = ?'));
  }

  /** Micro-dollars spent in [fromDay, toDay) by the scope. */
  sum(ref: ScopeRef, fromDay: number, toDay: number): number {
    this.settle();
    if (ref.scope === 'global') return this.global.get(fromDay, toDay)!;
    if (ref.scope === 'provider') return this.provider.get(fromDay, toDay, ref.target!)!;
    return this.campaign.get(ref.target!, fromDay, toDay)!;
  }

  /** Per-day spend in [fromDay, toDay), zero-filled: the forecast's input. */
  daily(ref: ScopeRef, fromDay: number, toDay: number): number[] {
    this.settle();
    const rows =
      ref.scope === 'global'
        ? this.globalDays.all(fromDay, toDay)
        : ref.scope === 'provider'
          ? this.providerDays.all(fromDay, toDay, ref.target!)
          : this.campaignDays.all(fromDay, toDay, ref.target!);
    const out = new Array<number>(toDay - fromDay).fill(0);
    for (const r of rows) out[r.day - fromDay] = r.micros;
    return out;
  }
}
