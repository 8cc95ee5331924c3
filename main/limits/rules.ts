import { z } from 'zod';

/**
 * Limits as configured, and the GCRA rules they compile to. Kept apart from the limiter so the
 * bench and the tests compute "what the limits allow" from the very same numbers.
 */
export const LAYERS = ['account', 'operator', 'global'] as const;
export type LayerName = (typeof LAYERS)[number];

export const layerLimitSchema = z
  .object({
    /** Sustained rate. */
    perMinute: z.number().finite().positive().max(60_000_000),
    /** Sends allowed back to back after an idle period (1 = none beyond the steady rate). */
    burst: z.number().int().min(1).max(1_000_000),
    /** A second, independent constraint: no two sends closer than this (OnlyFans' "Allow 3 seconds"). */
    minSpacingMs: z.number().int().min(0).max(86_400_000).optional(),
  })
  .strict();
export type LayerLimit = z.infer<typeof layerLimitSchema>;

export const limiterConfigSchema = z
  .object({
    account: layerLimitSchema,
    operator: layerLimitSchema,
    /** The API plan's limit, shared by every send. */
    global: layerLimitSchema,
  })
  .strict();
export type LimiterConfig = z.infer<typeof limiterConfigSchema>;

/** Issue 9's defaults: an account at 10 a minute, 3 s apart; the others generous until configured. */
export const DEFAULT_LIMITS: LimiterConfig = {
  account: { perMinute: 10, burst: 1, minSpacingMs: 3000 },
  operator: { perMinute: 60, burst: 10 },
  global: { perMinute: 600, burst: 50 },
};

/** One GCRA constraint: emission interval T and burst b; its state is one number per key. */
export interface Rule {
  /** Persisted name: the layer, or `<layer>.spacing` for the minimum-spacing constraint. */
  readonly id: string;
  readonly layer: LayerName;
  readonly intervalMs: number;
  readonly burst: number;
}

export function rulesOf(layer: LayerName, limit: LayerLimit): Rule[] {
  const rules: Rule[] = [{ id: layer, layer, intervalMs: 60_000 / limit.perMinute, burst: limit.burst }];
  if (limit.minSpacingMs) rules.push({ id: `${layer}.spacing`, layer, intervalMs: limit.minSpacingMs, burst: 1 });
  return rules;
}

/** The invariant's bound: sends one rule lets through in any closed window of `windowMs`. */
export function allowedInWindow(rule: Pick<Rule, 'intervalMs' | 'burst'>, windowMs: number): number {
  return rule.burst + Math.floor(windowMs / rule.intervalMs + 1e-9);
}

export class LimiterConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid rate limits: ${issues.join('; ')}`);
    this.name = 'LimiterConfigError';
  }
}

export function parseLimiterConfig(input: unknown): LimiterConfig {
  const parsed = limiterConfigSchema.safeParse(input);
  if (!parsed.success) throw new LimiterConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return parsed.data;
}
