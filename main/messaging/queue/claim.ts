/**
 * A lane's claim, inside the turn's transaction (see turn.ts): its next send picked, the limiter
 * asked, and the grant written with the move to `sending`, or how long the lane must wait.
 */
import type { Db } from '../../db/open';
import { txOf } from '../../db/tx';
import type { Grant, RateLimiter } from '../../limits';
import { accountLimit, type Lane } from './lanes';
import type { SendQueueOptions, SharedAccountBudget } from './options';
import { tightenedByPlan } from './plan';
import type { SendRow, SendStore } from './store';
import type { TurnStep } from './turn';

/** `grant`: the limiter's grant for the send, re-anchored when its reply is seen (see RateLimiter.reanchor). */
export type Claim = { kind: 'send'; row: SendRow; grant: Grant } | { kind: 'wait'; ms: number } | { kind: 'none' };

/** How long a lane waiting on the shared budget's answer sleeps at most: `onReady` wakes it sooner. */
const SHARED_RECHECK_MS = 1_000;

export interface ClaimContext {
  db: Db;
  store: SendStore;
  limiter: RateLimiter;
  operator: string;
  now: number;
  shared?: SharedAccountBudget;
  limitFor?: SendQueueOptions['limitFor'];
}

export function claimNext(lane: Lane, t: TurnStep, c: ClaimContext): Claim {
  const { store, now } = c;
  const accountId = lane.account.id;
  if (lane.platformUntil > now) return { kind: 'wait', ms: lane.platformUntil - now };
  const next = store.pick(accountId, lane.lastJob, now);
  if (!next) {
    const due = store.nextDue(accountId, now);
    return due === null ? { kind: 'none' } : { kind: 'wait', ms: due - now };
  }
  if (lane.transport === null) {
    t.report(store.failQueued(accountId, 'not_configured', now));
    lane.lastError = { reason: 'not_configured', at: now };
    return { kind: 'none' };
  }
  // The team's budget first: a refusal there consumes nothing locally.
  if (c.shared) {
    // The same pace as the local account layer (plan.ts), so the lease's slots fit the local limiter's.
    const shared = c.shared.check(lane.account.platformAccountId, tightenedByPlan((c.limitFor ?? accountLimit)(lane.account), lane.plan));
    if (!shared.allowed) return { kind: 'wait', ms: shared.waitMs ?? SHARED_RECHECK_MS };
  }
  const decision = c.limiter.tryAcquire({ account: accountId, operator: c.operator });
  if (!decision.allowed) {
    // The account's own pace is the plan, not a throttle; a shared layer holding it back is.
    if (decision.layer !== 'account' && !lane.waitCounted) {
      store.recordThrottle(accountId, decision.layer, now);
      lane.waitCounted = true;
    }
    return { kind: 'wait', ms: Math.ceil(decision.msBeforeNext) };
  }
  lane.waitCounted = false;
  c.shared?.consume(lane.account.platformAccountId);
  // The grant is written with the claim it allows, in the same transaction.
  c.limiter.persist(txOf(c.db, 'a send claim'), decision.grant);
  const sending = store.markSending(next.id, 'api', now);
  if (!sending) return { kind: 'none' };
  lane.lastJob = sending.job_id;
  t.report(sending);
  return { kind: 'send', row: sending, grant: decision.grant };
}
