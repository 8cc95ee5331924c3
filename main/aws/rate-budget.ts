/**
 * One rate budget per creator account across seats (issue 12 §5). Several seats — separate
 * processes, separate databases — sending for one account must together stay within what the
 * platform allows at ARRIVAL: at most `perMinute` in any 60 s window and `minSpacingMs` between
 * two messages.
 *
 * Shared state. One item per account, `keys.rate(accountId)` in `{prefix}-ai-costs`: `end` (the
 * end of the last lease on the shared timeline), `holder` (the seat that took it), `version`,
 * and `seats` (seat → last seen). It is only ever written by PutItem conditioned on the version
 * read (or on the item's absence); a ConditionalCheckFailed re-reads and retries with jittered
 * backoff, so two seats never both extend from the same `end`.
 *
 * Leases. A seat leases up to `leaseSlots` sends at once: the window [start, end) with
 * end = start + k·I, where I = max(minSpacingMs, 60 000 / perMinute) + `arrivalSlackMs` and
 * start = max(now, end_prev + guard) (no guard when the seat extends its own lease). Inside
 * its lease the seat sends from memory (the fast path): its j-th send no earlier than
 * start + j·I, at most k, the last granted no later than end − I + `lateMs`; and one send in
 * flight, the next ≥ T after the previous one's reply (`settled`, as the local limiter's
 * re-anchoring), or ≥ I after its grant while no reply came. Slots on a grid, rather than
 * spacing from the previous grant, keep one late send from pushing the rest out of the lease.
 * DynamoDB is asked only when the lease is spent or over. guard = `skewMs` + `lateMs` +
 * `arrivalSlackMs`, with T = max(minSpacingMs, 60 000 / perMinute).
 *
 * Invariant (tests/integration/aws/rate-budget.test.ts, `npm run bench -- aws`): consecutive
 * ARRIVALS of one account, from any seats, are ≥ max(minSpacingMs, 60 000 / perMinute) apart,
 * hence ≤ perMinute in any half-open 60 s window. It holds under three stated assumptions:
 * (1) seats' wall clocks (the shared timeline is `clock.now()`) differ by at most `skewMs`
 * (the doctor checks each seat's skew against AWS); (2) a send arrives at most
 * `arrivalSlackMs` after its grant (the queue re-anchors its local limiter on the reply, the
 * pace margin of lanes.ts); (3) one send in flight per account per seat. Proof sketch: within
 * a seat the spacing is I ≥ T + slack; across a handover the previous holder's last arrival is
 * ≤ end − I + late + slack and the next holder's first grant is ≥ end + guard − skew in true
 * time, a gap ≥ I + guard − skew − late − slack = I.
 *
 * Offline. When DynamoDB cannot be reached (or the team layer is off but other seats were seen
 * for this account), a seat falls back to a conservative share of n = the seats last seen
 * (persisted locally, so a restart offline stays conservative): ⌊perMinute / n⌋ per minute and
 * spacing n·minSpacingMs, measured on its own. When every seat is cut off alike the per-minute
 * window holds for the sum; the min interval between two seats then holds only on average —
 * two offline seats cannot see each other. A partition where one seat still reaches DynamoDB
 * and another does not is not covered: the first leases at the full rate while the second
 * sends its share, up to (1 + 1/n) × the limit. Team layer off and never seen ⇒ no shared
 * layer at all: the local limiter alone decides, as before.
 */
import { z } from 'zod';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { TeamConnection, TeamAwsUnavailable } from './clients';
import { keys } from './keys';
import { SettingRow } from '../settings/row';

export interface SharedLimit {
  perMinute: number;
  minSpacingMs: number;
}

export interface SharedBudgetOptions {
  /** Sends leased per DynamoDB write (default 4). */
  leaseSlots?: number;
  /** Largest difference between two seats' wall clocks (default 250 ms). */
  skewMs?: number;
  /** Largest delay between a grant and its arrival at the platform (default 200 ms, the queue's pace margin). */
  arrivalSlackMs?: number;
  /** How late after its nominal time a lease's last send may still be granted (default 100 ms). */
  lateMs?: number;
  /** A seat counts among the account's seats while seen within this (default 10 min). */
  seenWindowMs?: number;
  /** How long an unreachable DynamoDB is left alone before it is asked again (default 5 s). */
  offlineRetryMs?: number;
  /** Conditional-write retries before giving up for now (default 8). */
  maxAttempts?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What the queue shows beside an account: shared with n seats, or an offline share of 1/n. */
export type SharedStatus = { mode: 'local' } | { mode: 'shared'; seats: number } | { mode: 'offline'; seats: number };

export type SharedCheck = { allowed: true } | { allowed: false; waitMs: number | null };

const bucketSchema = z.object({
  end: z.number().finite(),
  holder: z.string(),
  version: z.number().int().nonnegative(),
  seats: z.record(z.string(), z.number().finite()),
});
type Bucket = z.infer<typeof bucketSchema>;

interface AccountState {
  lease: { start: number; slots: number; used: number; lastGrantBy: number } | null;
  /** This seat's last grant for the account, whatever the mode, and whether its reply is still awaited. */
  lastGrant: number | null;
  inFlight: boolean;
  lastReply: number | null;
  seats: number;
  /** The last word from DynamoDB was a lease. */
  online: boolean;
  offlineUntil: number;
  refilling: Promise<void> | null;
}

/** Rows of the live file's `settings` table, like the team settings: no migration. */
const SEATS_KEY = 'aws.rateSeats';
const MINUTE_MS = 60_000;

export const platformSpacing = (limit: SharedLimit) => Math.max(limit.minSpacingMs, MINUTE_MS / limit.perMinute);

export class SharedRateBudget {
  private readonly accounts = new Map<string, AccountState>();
  private readonly listeners = new Set<(accountId: string) => void>();
  private readonly o: Required<SharedBudgetOptions>;
  private readonly seatsRow: SettingRow<Record<string, number>>;
  private knownSeats: Record<string, number>;
  private counts = { leases: 0, conflicts: 0 };

  constructor(
    private readonly connect: () => Promise<TeamConnection | { unavailable: TeamAwsUnavailable }>,
    db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: SharedBudgetOptions = {},
  ) {
    this.o = {
      leaseSlots: 4,
      skewMs: 250,
      arrivalSlackMs: 200,
      lateMs: 100,
      seenWindowMs: 10 * MINUTE_MS,
      offlineRetryMs: 5_000,
      maxAttempts: 8,
      random: Math.random,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
    };
    this.seatsRow = new SettingRow(db, SEATS_KEY, z.record(z.string(), z.number().int().positive()), clock);
    this.knownSeats = this.seatsRow.get() ?? {};
  }

  /** Called when a lease arrives or DynamoDB answers again: the account's lane should ask again. */
  onReady(listener: (accountId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Leases won and conditional writes lost, since start. */
  stats(): { leases: number; conflicts: number } {
    return { ...this.counts };
  }

  /** The slot spacing on the shared timeline: the platform's, plus the arrival slack. */
  interval(limit: SharedLimit): number {
    return platformSpacing(limit) + this.o.arrivalSlackMs;
  }

  status(accountId: string): SharedStatus {
    const s = this.accounts.get(accountId);
    const seats = s?.seats ?? this.knownSeats[accountId] ?? 1;
    if (s?.online) return { mode: 'shared', seats };
    return seats > 1 ? { mode: 'offline', seats } : { mode: 'local' };
  }

  /**
   * May this seat send for the account now? Synchronous, from memory: a lease in hand answers at
   * once; otherwise a refill starts (at most one per account) and `waitMs` null means "until
   * `onReady`". Consumes nothing: `consume` does, once every other layer granted too.
   */
  check(accountId: string, limit: SharedLimit): SharedCheck {
    const now = this.clock.now();
    const s = this.state(accountId);
    const interval = this.interval(limit);
    const lease = s.lease;
    // Past its last grant time a lease is over, whatever slots it had left: a seat held back
    // beyond it (by its local limiter, say) would otherwise send into the next holder's lease.
    if (lease && lease.used < lease.slots && now <= lease.lastGrantBy) {
      const at = Math.max(lease.start + lease.used * interval, this.ownEarliest(s, limit));
      if (at <= lease.lastGrantBy) return at > now ? { allowed: false, waitMs: Math.ceil(at - now) } : { allowed: true };
    }
    if (!s.refilling && s.offlineUntil <= now) void this.startRefill(accountId, limit);
    // Offline, or asking again after being offline: the share decides meanwhile.
    if (s.offlineUntil > 0) return this.fallback(s, limit, now);
    return { allowed: false, waitMs: null };
  }

  /** The send `check` allowed was granted by every layer: it spends one from the lease. */
  consume(accountId: string): void {
    const s = this.state(accountId);
    const now = this.clock.now();
    s.lastGrant = now;
    s.inFlight = true;
    if (s.lease && s.lease.used < s.lease.slots && now <= s.lease.lastGrantBy) s.lease.used += 1;
  }

  /** The send's reply (or a failure that may have reached the platform) is in: it has arrived by now. */
  settled(accountId: string): void {
    const s = this.state(accountId);
    s.inFlight = false;
    s.lastReply = this.clock.now();
  }

  /** When this seat's own pace lets it send again: after its reply (it arrived before), or its grant and the slack. */
  private ownEarliest(s: AccountState, limit: SharedLimit): number {
    if (s.lastGrant === null) return -Infinity;
    if (s.inFlight || s.lastReply === null) return s.lastGrant + this.interval(limit);
    return Math.max(s.lastReply + platformSpacing(limit), s.lastGrant + platformSpacing(limit));
  }

  /** Asks DynamoDB for a lease now; resolves once it is in hand or the seat went to its offline share. */
  refill(accountId: string, limit: SharedLimit): Promise<void> {
    const s = this.state(accountId);
    return s.refilling ?? this.startRefill(accountId, limit);
  }

  private startRefill(accountId: string, limit: SharedLimit): Promise<void> {
    const s = this.state(accountId);
    const work = this.lease(accountId, limit)
      .catch((err: unknown) => {
        this.logger.warn('aws: shared rate budget unreachable, offline share', { accountId, error: err instanceof Error ? err.name : 'unknown' });
        this.goOffline(s);
      })
      .finally(() => {
        s.refilling = null;
        for (const l of this.listeners) l(accountId);
      });
    s.refilling = work;
    return work;
  }

  private async lease(accountId: string, limit: SharedLimit): Promise<void> {
    const s = this.state(accountId);
    const conn = await this.connect();
    if ('unavailable' in conn) {
      this.goOffline(s);
      return;
    }
    // Loaded on demand, like the clients: a seat without a team never loads the SDK.
    const [{ ConditionalCheckFailedException, GetItemCommand, PutItemCommand }, { marshall, unmarshall }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('@aws-sdk/util-dynamodb')]);
    const key = marshall(keys.rate(accountId));
    const interval = this.interval(limit);
    const guard = this.o.skewMs + this.o.lateMs + this.o.arrivalSlackMs;
    for (let attempt = 1; ; attempt++) {
      const got = await conn.dynamo.send(new GetItemCommand({ TableName: conn.names.costsTable, Key: key, ConsistentRead: true }));
      const bucket: Bucket | null = got.Item ? bucketSchema.parse(unmarshall(got.Item)) : null;
      const now = this.clock.now();
      const mine = bucket?.holder === conn.seatId;
      // The seat's own last send counts too: its next lease never starts before it may send again.
      const after = Math.max(now, bucket ? bucket.end + (mine ? 0 : guard) : now, this.ownEarliest(s, limit));
      const slots = this.o.leaseSlots;
      const end = after + slots * interval;
      const seats: Record<string, number> = {};
      for (const [seat, seen] of Object.entries(bucket?.seats ?? {})) if (seen >= now - this.o.seenWindowMs) seats[seat] = seen;
      seats[conn.seatId] = now;
      const next: Bucket = { end, holder: conn.seatId, version: (bucket?.version ?? 0) + 1, seats };
      try {
        await conn.dynamo.send(
          new PutItemCommand({
            TableName: conn.names.costsTable,
            Item: marshall({ ...keys.rate(accountId), ...next }),
            ConditionExpression: bucket ? 'version = :v' : 'attribute_not_exists(pk)',
            ExpressionAttributeValues: bucket ? marshall({ ':v': bucket.version }) : undefined,
          }),
        );
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
        this.counts.conflicts += 1;
        if (attempt >= this.o.maxAttempts) {
          this.logger.warn('aws: shared rate budget contended, retrying later', { accountId, attempts: attempt });
          return;
        }
        // Full jitter over a doubling cap: two seats that collided rarely collide again.
        await this.o.sleep(this.o.random() * Math.min(1_000, 10 * 2 ** attempt));
        continue;
      }
      this.counts.leases += 1;
      s.lease = { start: after, slots, used: 0, lastGrantBy: end - interval + this.o.lateMs };
      s.offlineUntil = 0;
      s.online = true;
      this.rememberSeats(accountId, s, Object.keys(seats).length);
      return;
    }
  }

  private goOffline(s: AccountState): void {
    s.online = false;
    s.offlineUntil = this.clock.now() + this.o.offlineRetryMs;
  }

  /** The offline share: ⌊perMinute / n⌋ a minute and n × the min spacing, from this seat's own sends. */
  private fallback(s: AccountState, limit: SharedLimit, now: number): SharedCheck {
    const wait = this.fallbackWait(s, limit, now);
    return wait > 0 ? { allowed: false, waitMs: wait } : { allowed: true };
  }

  private fallbackWait(s: AccountState, limit: SharedLimit, now: number): number {
    const n = Math.max(1, s.seats);
    // No other seat ever seen for this account: the local limiter alone decides, as before.
    if (n === 1) return 0;
    const perMinute = Math.floor(limit.perMinute / n);
    // Fewer sends a minute than seats: this seat's share is none until DynamoDB answers again.
    if (perMinute < 1) return Math.max(1, s.offlineUntil - now);
    const spacing = Math.max(limit.minSpacingMs * n, MINUTE_MS / perMinute) + this.o.arrivalSlackMs;
    return s.lastGrant === null ? 0 : Math.max(0, Math.ceil(s.lastGrant + spacing - now));
  }

  private rememberSeats(accountId: string, s: AccountState, seats: number): void {
    s.seats = seats;
    if (this.knownSeats[accountId] === seats) return;
    this.knownSeats = { ...this.knownSeats, [accountId]: seats };
    this.seatsRow.set(this.knownSeats);
  }

  private state(accountId: string): AccountState {
    let s = this.accounts.get(accountId);
    if (!s) {
      s = { lease: null, lastGrant: null, inFlight: false, lastReply: null, seats: this.knownSeats[accountId] ?? 1, online: false, offlineUntil: 0, refilling: null };
      this.accounts.set(accountId, s);
    }
    return s;
  }
}
