import type { AccountSendStats } from '../../../shared/sending';
import type { RateLimiter } from '../../limits';
import type { Lane } from './lanes';
import type { SharedAccountBudget } from './options';
import type { SendStore } from './store';

/**
 * One account's budget as the Limits page draws it. The next slot is the later of what the
 * limiter would allow (a peek, which consumes nothing) and the platform's last Retry-After.
 */
export function laneStats(lane: Lane, at: { store: SendStore; limiter: RateLimiter; operator: string; paused: boolean; now: number; shared?: SharedAccountBudget }): AccountSendStats {
  const { now } = at;
  const c = at.store.counts(lane.account.id, now);
  const peek = at.limiter.peek({ account: lane.account.id, operator: at.operator });
  const limiterAt = now + Math.ceil(peek.msBeforeNext);
  const platform = lane.platformUntil > limiterAt;
  const nextSlotAt = platform ? lane.platformUntil : limiterAt;
  const shared = at.shared?.status(lane.account.platformAccountId);
  return {
    accountId: lane.account.id,
    sentLastMinute: c.minute,
    sentLastHour: c.hour,
    sentLastDay: c.day,
    recent: c.recent,
    queued: c.queued,
    sending: c.sending,
    unknown: c.unknown,
    failed: c.failed,
    throttled: c.throttled,
    nextSlotAt,
    limitedBy: nextSlotAt <= now ? null : platform ? 'platform' : peek.layer,
    paused: at.paused,
    offline: lane.offline !== null,
    lastError: lane.lastError,
    perMinute: lane.account.limits.perMinute,
    minSpacingSeconds: lane.account.limits.minSpacingSeconds,
    shared: shared && shared.mode !== 'local' ? shared : null,
  };
}
