import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { fullJitterDelayMs, redactError } from './backoff';
import {
  type BackoffPolicy,
  consumerSettingsSchema,
  DEFAULT_BACKOFF,
  DEFAULT_LEASE_MS,
  type DeliveryOutcome,
  failed,
  type OutboxConsumer,
  OutboxError,
  type OutboxItem,
} from './types';

/** setTimeout/clearTimeout, injectable so a test can drive the loop without waiting. */
export interface RelayTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RelayOptions {
  random?: () => number;
  timers?: RelayTimers;
  /** The longest the loop idles before looking again (rows enqueued elsewhere, other relays' leases). */
  pollMs?: number;
  /** Delivered rows are deleted this long after delivery; dead rows are kept for inspection. */
  retentionMs?: number;
  /** Rows deleted per compaction step, so a large backlog never holds the write lock for long. */
  compactBatchSize?: number;
  /** This relay's name in lease tokens; unique per process by default. */
  owner?: string;
  /**
   * After a batch's outcomes are committed (delivered, retried or dead), with the rows' keys:
   * whoever shows delivery states reads them fresh from here. It must not throw; if it does, the
   * relay logs it and goes on.
   */
  onSettled?: (settled: { topic: string; keys: string[] }) => void;
}

export interface RelayPass {
  /** Rows taken up this pass: delivered, retried, or buried at claim (attempts used up, bad payload). */
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  compacted: number;
  /** Some topic filled a whole batch, or compaction a whole step: there is more to do now. */
  busy: boolean;
}

interface Settled {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  full: boolean;
}

interface Topic {
  consumer: OutboxConsumer<unknown>;
  leaseMs: number;
  backoff: BackoffPolicy;
}

interface DueRow {
  id: number;
  key: string;
  payload: string;
  attempts: number;
  leaseOwner: string | null;
  createdAt: number;
}

const outcomeSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: z.string(), retryAfterMs: z.number().nonnegative().optional(), permanent: z.boolean().optional() }),
]);

const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;
const MIN_IDLE_MS = 50;

const systemTimers: RelayTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Moves outbox rows to their consumers: claims due rows under a lease, parses their payloads,
 * delivers, and records each outcome (delivered, retry at a full-jitter backoff, or dead letter).
 * Delivery is at least once: a relay that dies mid-delivery leaves its rows leased, and they fall
 * due again when the lease ends. Acks are matched on the lease token, so a relay that outlived
 * its lease cannot overwrite what a newer claim decided.
 */
export class OutboxRelay {
  private readonly topics: Topic[];
  private readonly random: () => number;
  private readonly timers: RelayTimers;
  private readonly pollMs: number;
  private readonly retentionMs: number;
  private readonly compactBatchSize: number;
  private readonly owner: string;
  private readonly onSettled: RelayOptions['onSettled'];
  private claims = 0;
  private active = false;
  /** A wake came while a pass ran: what it announced may have been parked by that pass, so look again at once. */
  private again = false;
  private timer: unknown = null;
  private loop: Promise<void> | null = null;
  private abort = new AbortController();
  private readonly stmt;
  private readonly claimTx;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    consumers: readonly OutboxConsumer<unknown>[],
    options: RelayOptions = {},
  ) {
    const seen = new Set<string>();
    this.topics = consumers.map((consumer) => {
      const parsed = consumerSettingsSchema.safeParse(consumer);
      if (!parsed.success) throw new OutboxError('invalid_consumer', `Outbox consumer ${String(consumer.topic)}: ${z.prettifyError(parsed.error)}`);
      if (seen.has(consumer.topic)) throw new OutboxError('invalid_consumer', `Two outbox consumers for topic ${consumer.topic}; a topic has exactly one.`);
      seen.add(consumer.topic);
      return { consumer, leaseMs: consumer.leaseMs ?? DEFAULT_LEASE_MS, backoff: consumer.backoff ?? DEFAULT_BACKOFF };
    });
    this.random = options.random ?? Math.random;
    this.timers = options.timers ?? systemTimers;
    this.pollMs = options.pollMs ?? 5_000;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60_000;
    this.compactBatchSize = options.compactBatchSize ?? 500;
    this.owner = options.owner ?? randomUUID();
    this.onSettled = options.onSettled;
    this.stmt = {
      due: db.prepare<[string, number, number], DueRow>(
        `SELECT id, key, payload, attempts, lease_owner AS leaseOwner, created_at AS createdAt FROM outbox
         WHERE topic = ? AND state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      ),
      // A lease is also the next due time: a row whose relay died falls due again by itself.
      lease: db.prepare<{ owner: string; until: number; expired: string | null; id: number }>(
        `UPDATE outbox SET attempts = attempts + 1, lease_owner = @owner, lease_until = @until, next_attempt_at = @until,
           last_error = COALESCE(@expired, last_error)
         WHERE id = @id`,
      ),
      deadAtClaim: db.prepare<[number, number, string, number]>(
        `UPDATE outbox SET state = 'dead', attempts = attempts + ?, dead_at = ?, lease_owner = NULL, lease_until = NULL, last_error = ? WHERE id = ?`,
      ),
      delivered: db.prepare<[number, number, string]>(
        `UPDATE outbox SET state = 'delivered', delivered_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?`,
      ),
      retry: db.prepare<[number, string, number, string]>(
        `UPDATE outbox SET next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?`,
      ),
      dead: db.prepare<[number, string, number, string]>(
        `UPDATE outbox SET state = 'dead', dead_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?`,
      ),
      nextDue: db.prepare<[string], number | null>(`SELECT MIN(next_attempt_at) FROM outbox WHERE topic = ? AND state = 'pending'`).pluck(),
      compact: db.prepare<[number, number]>(
        `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE state = 'delivered' AND delivered_at < ? ORDER BY delivered_at LIMIT ?)`,
      ),
    };
    this.claimTx = db.transaction((topic: Topic, now: number) => this.claimIn(topic, now));
  }

  /** One pass: each topic delivers at most one batch (topics in parallel), then one compaction step. */
  async runOnce(): Promise<RelayPass> {
    const settled = await Promise.allSettled(this.topics.map((t) => this.deliverBatch(t)));
    const pass: RelayPass = { claimed: 0, delivered: 0, retried: 0, dead: 0, compacted: 0, busy: false };
    let firstError: unknown = null;
    for (const s of settled) {
      if (s.status === 'rejected') {
        firstError ??= s.reason;
        continue;
      }
      pass.claimed += s.value.claimed;
      pass.delivered += s.value.delivered;
      pass.retried += s.value.retried;
      pass.dead += s.value.dead;
      pass.busy ||= s.value.full;
    }
    if (firstError !== null) throw firstError;
    pass.compacted = this.compactOnce();
    pass.busy ||= pass.compacted === this.compactBatchSize;
    return pass;
  }

  /** Deletes at most one step of delivered rows past retention; returns how many went. */
  compactOnce(): number {
    return this.stmt.compact.run(this.clock.now() - this.retentionMs, this.compactBatchSize).changes;
  }

  /** Runs passes on the injected timers until `stop()`: at once while busy, else when the next row falls due. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.abort = new AbortController();
    this.schedule(0);
  }

  /** A writer enqueued something: look now instead of at the next poll. */
  wake(): void {
    if (!this.active) return;
    if (this.timer === null) {
      this.again = true;
      return;
    }
    this.timers.clearTimeout(this.timer);
    this.schedule(0);
  }

  /** Stops the loop, signals deliveries in flight to abort, and waits until their outcomes are recorded. */
  async stop(): Promise<void> {
    this.active = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.loop;
  }

  private schedule(ms: number): void {
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.loop = this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    let delay = this.pollMs;
    this.again = false;
    try {
      const pass = await this.runOnce();
      delay = pass.busy || this.again ? 0 : this.idleDelay();
    } catch (err) {
      this.logger.error('outbox relay pass failed', { error: redactError(err instanceof Error ? err.message : String(err)) });
    }
    if (this.active) this.schedule(delay);
  }

  private idleDelay(): number {
    const now = this.clock.now();
    let delay = this.pollMs;
    for (const t of this.topics) {
      const next = this.stmt.nextDue.get(t.consumer.topic);
      if (next !== null && next !== undefined) delay = Math.min(delay, next - now);
    }
    return Math.max(MIN_IDLE_MS, delay);
  }

  private async deliverBatch(topic: Topic): Promise<Settled> {
    // IMMEDIATE: take the write lock before reading, so two processes never claim the same row.
    const claim = this.claimTx.immediate(topic, this.clock.now());
    const result: Settled = { claimed: claim.items.length + claim.buried.length, delivered: 0, retried: 0, dead: claim.buried.length, full: claim.full };
    if (claim.items.length === 0) {
      if (claim.buried.length > 0) this.announce(topic, claim.buried);
      return result;
    }
    let outcomes: readonly unknown[];
    try {
      outcomes = await topic.consumer.deliver(claim.items, { signal: this.abort.signal });
      if (!Array.isArray(outcomes)) throw new TypeError(`deliver returned ${typeof outcomes}, not one outcome per item`);
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : `deliver failed: ${String(err)}`;
      outcomes = claim.items.map(() => failed(reason));
    }
    const now = this.clock.now();
    this.db.transaction(() => {
      claim.items.forEach((item, i) => {
        const parsed = outcomeSchema.safeParse(outcomes[i]);
        const outcome: DeliveryOutcome = parsed.success ? parsed.data : failed(`the ${topic.consumer.topic} consumer returned no valid outcome for this item`);
        result[this.settle(topic, item, outcome, claim.token, now)]++;
      });
    })();
    this.announce(topic, [...claim.buried, ...claim.items.map((i) => i.key)]);
    return result;
  }

  private announce(topic: Topic, keys: string[]): void {
    try {
      topic.consumer.settled?.(keys);
      this.onSettled?.({ topic: topic.consumer.topic, keys });
    } catch (err) {
      this.logger.error('outbox: onSettled failed', { topic: topic.consumer.topic, error: redactError(err instanceof Error ? err.message : String(err)) });
    }
  }

  private settle(topic: Topic, item: OutboxItem<unknown>, outcome: DeliveryOutcome, token: string, now: number): 'delivered' | 'retried' | 'dead' {
    if (outcome.ok) {
      this.checkLease(this.stmt.delivered.run(now, item.id, token).changes, item);
      return 'delivered';
    }
    const error = redactError(outcome.error);
    if (outcome.permanent || item.attempt >= topic.consumer.maxAttempts) {
      const why = outcome.permanent ? error : `${error} (gave up after ${item.attempt} attempts)`;
      this.checkLease(this.stmt.dead.run(now, why, item.id, token).changes, item);
      this.logger.warn('outbox: dead letter', { topic: item.topic, key: item.key, attempts: item.attempt, error: why });
      return 'dead';
    }
    const backoff = fullJitterDelayMs(item.attempt, topic.backoff, this.random);
    const wait = Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
    this.checkLease(this.stmt.retry.run(now + wait, error, item.id, token).changes, item);
    return 'retried';
  }

  private checkLease(changes: number, item: OutboxItem<unknown>): void {
    if (changes === 0) this.logger.warn('outbox: lease lost before the outcome was recorded', { topic: item.topic, key: item.key, attempt: item.attempt });
  }

  private claimIn(topic: Topic, now: number): { items: OutboxItem<unknown>[]; buried: string[]; token: string; full: boolean } {
    const { consumer } = topic;
    const token = `${this.owner}:${++this.claims}`;
    const rows = this.stmt.due.all(consumer.topic, now, consumer.batchSize);
    const items: OutboxItem<unknown>[] = [];
    const buried: string[] = [];
    const bury = (row: DueRow, claimed: 0 | 1, error: string) => {
      this.stmt.deadAtClaim.run(claimed, now, error, row.id);
      this.logger.warn('outbox: dead letter', { topic: consumer.topic, key: row.key, attempts: row.attempts + claimed, error });
      buried.push(row.key);
    };
    for (const row of rows) {
      const expired = row.leaseOwner === null ? null : `the lease of attempt ${row.attempts} ended without an outcome (the relay stopped, or delivery outlasted the lease)`;
      if (row.attempts >= consumer.maxAttempts) {
        bury(row, 0, expired ?? `gave up after ${row.attempts} attempts`);
        continue;
      }
      const payload = this.parsePayload(consumer, row.payload);
      if (!payload.ok) {
        bury(row, 1, payload.error);
        continue;
      }
      this.stmt.lease.run({ owner: token, until: now + topic.leaseMs, expired, id: row.id });
      items.push({ id: row.id, topic: consumer.topic, key: row.key, payload: payload.value, attempt: row.attempts + 1, createdAt: row.createdAt });
    }
    return { items, buried, token, full: rows.length === consumer.batchSize };
  }

  private parsePayload(consumer: OutboxConsumer<unknown>, raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { ok: false, error: 'payload is not JSON' };
    }
    const parsed = consumer.schema.safeParse(json);
    if (parsed.success) return { ok: true, value: parsed.data };
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, error: redactError(`payload does not match the ${consumer.topic} schema: ${issues}`) };
  }
}
