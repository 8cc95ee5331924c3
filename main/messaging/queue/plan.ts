/**
 * The plan limits the API reports (Test connection, `GET /api/me`) as limiter limits. A plan only
 * ever tightens: the global layer never runs faster than the key's plan, an account never faster
 * than the plan allows one account, and what the agency configured stricter stays as it is.
 */
import type { LayerLimit, LimiterConfig } from '../../limits';
import type { PlanLimits } from '../transport';

export interface AccountPace {
  perMinute: number;
  burst: number;
  minSpacingMs: number;
}

/** The account's pace, tightened to the plan's account limits where they are stricter. */
export function tightenedByPlan(pace: AccountPace, plan: PlanLimits | null): AccountPace {
  if (!plan) return pace;
  return {
    perMinute: Math.min(pace.perMinute, plan.accountPerMinute ?? Infinity),
    burst: pace.burst,
    minSpacingMs: Math.max(pace.minSpacingMs, plan.accountMinIntervalMs ?? 0),
  };
}

/**
 * The configured limits with the global layer lowered to the strictest plan seen (several keys
 * may be in use; the shared layer honours the least of them). Its burst is held to one second of
 * the plan's rate: a burst sized for a larger plan would let a minute's allowance go at once.
 */
export function withPlanGlobal(base: LimiterConfig, planPerMinute: number): LimiterConfig {
  const perMinute = Math.min(base.global.perMinute, planPerMinute);
  const global: LayerLimit = { ...base.global, perMinute, burst: Math.min(base.global.burst, Math.max(1, Math.ceil(perMinute / 60))) };
  return { ...base, global };
}
