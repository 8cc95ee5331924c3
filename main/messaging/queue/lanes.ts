/**
 * One lane per creator account: what the scheduler keeps in memory about it between database
 * reads (its transport, its one timer, its send in flight, whether the platform is answering).
 */
import type { Account } from '../../../shared/accounts';
import type { SendReason } from '../../../shared/sending';
import type { LayerLimit } from '../../limits';
import type { MessagingTransport, PlanLimits } from '../transport';

export interface Lane {
  account: Account;
  /** undefined while `transportFor` is still resolving; null: this account cannot send automatically. */
  transport: MessagingTransport | null | undefined;
  /** The one timer armed for this account (a limiter wait, a backoff, a Retry-After, a probe). */
  timer: unknown;
  inFlight: Promise<void> | null;
  /** The job served last, for round-robin across jobs. */
  lastJob: string | null;
  /** Set while the transport does not answer: sends wait, a probe runs with capped backoff. */
  offline: { probes: number } | null;
  probing: boolean;
  /**
   * Sends left in `sending` because the platform could not be reached to ask whether they went
   * out, by id, with the failure that made them uncertain (null: a crash or a stop). They are
   * asked about before anything else is sent once the platform answers again.
   */
  recheck: Map<string, SendReason | null>;
  /** Wall ms before which the platform asked (429 Retry-After) that nothing be sent. */
  platformUntil: number;
  /** A shared layer's wait was counted for the send now waiting, so one wait counts once. */
  waitCounted: boolean;
  lastError: { reason: SendReason; at: number } | null;
  /** What the API last reported of its plan, applied to the limiter (see plan.ts). */
  plan: PlanLimits | null;
  /** Set while the plan is being asked for: the lane's first sends wait for the answer. */
  planning: boolean;
}

export const newLane = (account: Account): Lane => ({
  account,
  transport: undefined,
  timer: null,
  inFlight: null,
  lastJob: null,
  offline: null,
  probing: false,
  recheck: new Map(),
  platformUntil: 0,
  waitCounted: false,
  lastError: null,
  plan: null,
  planning: false,
});

/**
 * The sandbox server (and the platform) judge pace by a request's ARRIVAL, while the limiter
 * grants at the moment the scheduler asks; between the two lie a database commit (an fsync)
 * and a loopback request, whose duration varies. Were a slow commit followed by a fast one,
 * two arrivals could land closer than the spacing the limiter kept. So the queue asks the
 * limiter for a little more than the account's limits: every interval grows by this margin,
 * which covers that jitter. It costs under 7 % of throughput at OnlyFans' 3 s, and it is the
 * queue's choice rather than a tolerance in the server, so the server keeps judging the
 * platform's exact rule.
 */
export const DEFAULT_PACE_MARGIN_MS = 200;

/** The account's limits as the limiter's account layer, widened by the pace margin. */
export function paceOf(limit: { perMinute: number; burst: number; minSpacingMs: number }, marginMs: number): LayerLimit {
  return {
    perMinute: 60_000 / (60_000 / limit.perMinute + marginMs),
    burst: limit.burst,
    ...(limit.minSpacingMs > 0 ? { minSpacingMs: Math.ceil(limit.minSpacingMs + marginMs) } : {}),
  };
}

export const accountLimit = (account: Account) => ({
  perMinute: account.limits.perMinute,
  burst: account.limits.burst,
  minSpacingMs: account.limits.minSpacingSeconds * 1000,
});

/** A transport that failed to answer at all: the account is offline, not the message bad. */
export const OFFLINE_REASONS: ReadonlySet<SendReason> = new Set(['connection']);
/** The platform refused the message itself: retrying cannot help. */
export const PERMANENT_REASONS: ReadonlySet<SendReason> = new Set(['unauthorized', 'not_found', 'bad_request']);
