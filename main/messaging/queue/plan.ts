/**
 * The plan limits the API reports (Test connection, `GET /api/me`) as limiter limits. A plan only
 * ever tightens: the global layer never runs faster than the key's plan, an account never faster
 * than the plan allows one account, and what the agency configured stricter stays as it is.
 */
import type { LayerLimit, LimiterConfig } from '../../limits';
import type { MessagingTransport, PlanLimits } from '../transport';
import { accountLimit, DEFAULT_PACE_MARGIN_MS, type Lane, paceOf } from './lanes';
import type { SendQueueOptions } from './options';

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

export interface PlansOptions extends Pick<SendQueueOptions, 'limiter' | 'logger' | 'limitFor' | 'paceMarginMs' | 'planLimits'> {
  /** Keeps a plan request among the work stop() waits for and aborts. */
  track: (asked: Promise<void>, abort: AbortController) => void;
  /** The lane may send now that its plan is known (or will not be). */
  wake: (lane: Lane) => void;
}

/** Each lane's account layer, and the plans that tighten it and the global layer. */
export class Plans {
  /** The strictest plan rate any API key reported: the global layer's ceiling. */
  private global = Infinity;

  constructor(private readonly o: PlansOptions) {}

  /** The account layer for this lane: its limits (or `limitFor`'s), tightened by its plan, widened by the pace margin. */
  pace(lane: Lane): void {
    const margin = this.o.paceMarginMs ?? DEFAULT_PACE_MARGIN_MS;
    this.o.limiter.setLimit('account', lane.account.id, paceOf(tightenedByPlan((this.o.limitFor ?? accountLimit)(lane.account), lane.plan), margin));
  }

  /**
   * Asks the API once for its plan. The lane's first sends wait for the answer (bounded by the
   * transport's timeout, and by stop()), not for a failure: without a plan the configured limits hold.
   */
  learn(lane: Lane, transport: MessagingTransport): void {
    if (!this.o.planLimits || lane.planning) return;
    lane.planning = true;
    const abort = new AbortController();
    const asked = transport
      .test(abort.signal)
      .then((r) => {
        if (r.ok && lane.transport === transport) this.apply(lane, r.limits);
      })
      .catch((err: unknown) => this.o.logger.warn('sends: no plan limits', { accountId: lane.account.id, error: String(err) }))
      .finally(() => {
        lane.planning = false;
        this.o.wake(lane);
      });
    this.o.track(asked, abort);
  }

  /** A plan the API reported (at Test connection or a probe): the limiter is tightened to it. */
  apply(lane: Lane, plan: PlanLimits): void {
    const base = this.o.planLimits?.base;
    if (!base) return;
    lane.plan = plan;
    this.pace(lane);
    if (plan.perMinute < this.global) {
      this.global = plan.perMinute;
      this.o.limiter.configure(withPlanGlobal(base, plan.perMinute));
    }
    this.o.logger.info('sends: plan limits applied', { accountId: lane.account.id, plan: plan.plan, perMinute: plan.perMinute });
  }
}
