import { PROVIDER_IDS } from '../../../../shared/ai';
import { type BudgetModel, type BudgetThreshold, DEFAULT_LEVELS, type HardStop } from '../../../../shared/budgets';
import type { Money } from '../../lib/money';

/**
 * One editor row as typed: amounts in dollars in the operator's locale ("0,50" in French) and
 * levels as text, turned into micros and integers exactly on save.
 */
export interface DraftRow {
  id: string;
  scope: BudgetThreshold['scope'];
  target: string;
  period: BudgetThreshold['period'];
  dollars: string;
  levels: string;
  hardStop: HardStop;
}

export type DraftProblem = 'amount' | 'levels';

export const newRow = (): DraftRow => ({
  id: crypto.randomUUID(),
  scope: 'global',
  target: '',
  period: 'month',
  dollars: '',
  levels: DEFAULT_LEVELS.join(', '),
  hardStop: 'none',
});

export function toDraft(model: BudgetModel, money: Pick<Money, 'input'>): DraftRow[] {
  return model.thresholds.map((t) => ({
    id: t.id,
    scope: t.scope,
    target: t.target ?? (t.scope === 'provider' ? PROVIDER_IDS[0] : ''),
    period: t.period,
    dollars: money.input(t.amountMicros),
    levels: t.levels.join(', '),
    hardStop: t.hardStop,
  }));
}

/** `-5` or `1.2.3` cannot become micros: the row's own field says so before anything is sent. */
export function fromDraft(rows: DraftRow[], money: Pick<Money, 'parse'>): { model: BudgetModel; problems: Map<number, DraftProblem[]> } {
  const problems = new Map<number, DraftProblem[]>();
  const thresholds = rows.map((r, i) => {
    const amountMicros = money.parse(r.dollars);
    const levels = r.levels.split(/[,\s]+/).filter(Boolean).map((l) => (/^\d{1,4}$/.test(l) ? Number(l) : Number.NaN));
    const bad: DraftProblem[] = [];
    if (amountMicros === null) bad.push('amount');
    if (levels.length === 0 || levels.some(Number.isNaN)) bad.push('levels');
    if (bad.length) problems.set(i, bad);
    return {
      id: r.id,
      scope: r.scope,
      target: r.scope === 'global' ? null : r.target.trim() || null,
      period: r.period,
      amountMicros: amountMicros ?? 0,
      levels,
      hardStop: r.hardStop,
    };
  });
  return { model: { thresholds }, problems };
}
