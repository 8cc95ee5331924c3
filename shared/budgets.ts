/**
 * The one budget model: what alerts are evaluated against and what the orchestrator's
 * pre-flight refuses or downgrades by. Money is integer micro-dollars. Stored per profile (the
 * Sandbox has its own copy).
 */
import { z } from 'zod';
import { providerIdSchema } from './ai';
import { ALERT_LEVELS, ALERT_PERIODS, ALERT_SCOPES, type AlertLevel } from './alerts';

export const BUDGET_SCOPES = ALERT_SCOPES;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];
export const BUDGET_PERIODS = ALERT_PERIODS;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];
export const HARD_STOPS = ['none', 'refuse', 'downgrade'] as const;
export type HardStop = (typeof HARD_STOPS)[number];

export const DEFAULT_LEVELS = [50, 80, 100] as const;
export const MAX_THRESHOLDS = 100;
export const MAX_LEVELS = 5;
/**
 * $1 M: amount × 1000 % stays a safe integer, so a level's crossing is compared in exact
 * integer arithmetic (spend × 100 ≥ amount × percent) without a float.
 */
export const MAX_BUDGET_MICROS = 1_000_000_000_000;

export const thresholdIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const budgetThresholdSchema = z
  .object({
    /** Stable across edits: alerts already fired for it in this period are not fired again. */
    id: thresholdIdSchema,
    scope: z.enum(BUDGET_SCOPES),
    /** The provider id or campaign id; null for the global budget. */
    target: z.string().trim().min(1).max(100).nullable(),
    period: z.enum(BUDGET_PERIODS),
    amountMicros: z.number().int().min(1).max(MAX_BUDGET_MICROS),
    /** Percent of the amount at which an alert fires, ascending. */
    levels: z
      .array(z.number().int().min(1).max(1000))
      .min(1)
      .max(MAX_LEVELS)
      .refine((l) => l.every((v, i) => i === 0 || v > l[i - 1]!), { params: { rule: 'ascending_levels' } }),
    /** What the orchestrator does with a request that would go over the amount. */
    hardStop: z.enum(HARD_STOPS),
  })
  .strict();
export type BudgetThreshold = z.infer<typeof budgetThresholdSchema>;

export const scopeKey = (t: Pick<BudgetThreshold, 'scope' | 'target'>): string => (t.scope === 'global' ? 'global' : `${t.scope}:${t.target}`);

/** Rules that name a problem across fields; the renderer words each in English and French. */
export const BUDGET_RULES = ['target_required', 'target_not_allowed', 'unknown_provider', 'daily_above_monthly', 'duplicate_threshold', 'duplicate_id'] as const;

export const budgetModelSchema = z
  .object({ thresholds: z.array(budgetThresholdSchema).max(MAX_THRESHOLDS) })
  .strict()
  .superRefine((model, ctx) => {
    const issue = (i: number, field: string, rule: (typeof BUDGET_RULES)[number], params: Record<string, unknown> = {}) =>
      ctx.addIssue({ code: 'custom', path: ['thresholds', i, field], params: { rule, ...params } });
    const ids = new Set<string>();
    const seen = new Map<string, number>();
    model.thresholds.forEach((t, i) => {
      if (ids.has(t.id)) issue(i, 'id', 'duplicate_id');
      ids.add(t.id);
      if (t.scope === 'global' && t.target !== null) issue(i, 'target', 'target_not_allowed');
      if (t.scope !== 'global' && t.target === null) issue(i, 'target', 'target_required');
      if (t.scope === 'provider' && t.target !== null && !providerIdSchema.safeParse(t.target).success) issue(i, 'target', 'unknown_provider');
      const key = `${scopeKey(t)}|${t.period}`;
      if (seen.has(key)) issue(i, 'period', 'duplicate_threshold');
      else seen.set(key, i);
    });
    // A day allowed more than its whole month can never bind: almost always a typo.
    model.thresholds.forEach((t, i) => {
      if (t.period !== 'day') return;
      const monthly = seen.get(`${scopeKey(t)}|month`);
      const m = monthly === undefined ? undefined : model.thresholds[monthly];
      if (m && t.amountMicros > m.amountMicros) issue(i, 'amountMicros', 'daily_above_monthly', { monthlyMicros: m.amountMicros });
    });
  });
export type BudgetModel = z.infer<typeof budgetModelSchema>;

export const EMPTY_BUDGET_MODEL: BudgetModel = { thresholds: [] };

/** Alert severity from the level's percent: a budget reached is critical, its approach a warning. */
export function alertLevelFor(percent: number): AlertLevel {
  return percent >= 100 ? ALERT_LEVELS[2] : percent >= 80 ? ALERT_LEVELS[1] : ALERT_LEVELS[0];
}
