import { z } from 'zod';
import type { Db } from '../db/open';
import { type Tx, txOf } from '../db/tx';
import type { Clock } from '../ports/clock';
import { type Logger, silentLogger } from '../ports/logger';
import { OutboxRelay, type RelayOptions } from './relay';
import { MAX_PAYLOAD_BYTES, type OutboxConsumer, OutboxError, type OutboxMessage, outboxMessageSchema, type OutboxTopicStatus, topicSchema } from './types';

export interface Outbox {
  /**
   * Adds a row inside the caller's transaction, so it exists exactly when the caller's own
   * writes do. Returns false when (topic, key) is already there: enqueueing is idempotent.
   */
  enqueue<P>(tx: Tx, message: OutboxMessage<P>): boolean;
  /** Per topic counts for the UI, sorted by topic. */
  status(): OutboxTopicStatus[];
  /** Gives a topic's dead letters (or only the one with this key) a fresh set of attempts; returns how many. */
  requeueDead(topic: string, key?: string): number;
  /** A relay for these consumers; nothing runs until `start()` or `runOnce()`. */
  relay(consumers: readonly OutboxConsumer<unknown>[], options?: RelayOptions): OutboxRelay;
}

export interface OutboxDeps {
  db: Db;
  clock: Clock;
  logger?: Logger;
}

interface StatusRow {
  topic: string;
  pending: number;
  leased: number;
  dead: number;
  delivered: number;
  oldest: number | null;
}

export function createOutbox({ db, clock, logger = silentLogger }: OutboxDeps): Outbox {
  const insert = db.prepare<[string, string, string, number, number]>(
    `INSERT INTO outbox (topic, key, payload, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (topic, key) DO NOTHING`,
  );
  const statusQuery = db.prepare<{ now: number }, StatusRow>(
    `SELECT topic,
       SUM(state = 'pending' AND (lease_until IS NULL OR lease_until <= @now)) AS pending,
       SUM(state = 'pending' AND lease_until IS NOT NULL AND lease_until > @now) AS leased,
       SUM(state = 'dead') AS dead,
       SUM(state = 'delivered') AS delivered,
       MIN(CASE WHEN state = 'pending' THEN created_at END) AS oldest
     FROM outbox GROUP BY topic ORDER BY topic`,
  );
  const requeue = db.prepare<[number, string]>(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL WHERE topic = ? AND state = 'dead'`,
  );
  const requeueOne = db.prepare<[number, string, string]>(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL WHERE topic = ? AND key = ? AND state = 'dead'`,
  );

  return {
    enqueue(tx, message) {
      const parsed = outboxMessageSchema.safeParse(message);
      if (!parsed.success) throw new OutboxError('invalid_message', `Outbox message refused: ${z.prettifyError(parsed.error)}`);
      const { topic, key } = parsed.data;
      let json: string | undefined;
      try {
        json = JSON.stringify(message.payload);
      } catch (err) {
        throw new OutboxError('invalid_message', `Outbox payload for ${topic} is not serializable: ${(err as Error).message}`);
      }
      if (json === undefined) throw new OutboxError('invalid_message', `Outbox payload for ${topic} is missing or not JSON.`);
      if (json.length > MAX_PAYLOAD_BYTES / 4 && Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
        throw new OutboxError('invalid_message', `Outbox payload for ${topic} is over ${MAX_PAYLOAD_BYTES} bytes; enqueue a reference to the data instead.`);
      }
      if (txOf(tx, 'outbox.enqueue') !== db) throw new OutboxError('invalid_message', 'outbox.enqueue was given a transaction on another database.');
      const now = clock.now();
      return insert.run(topic, key, json, now, now).changes > 0;
    },

    status() {
      const now = clock.now();
      return statusQuery.all({ now }).map((r) => ({
        topic: r.topic,
        pending: r.pending,
        leased: r.leased,
        dead: r.dead,
        delivered: r.delivered,
        oldestPendingAgeMs: r.oldest === null ? null : Math.max(0, now - r.oldest),
      }));
    },

    requeueDead(topic, key) {
      const t = topicSchema.safeParse(topic);
      if (!t.success) throw new OutboxError('invalid_message', `Not a topic: ${z.prettifyError(t.error)}`);
      let changes: number;
      if (key === undefined) changes = requeue.run(clock.now(), t.data).changes;
      else {
        const k = outboxMessageSchema.shape.key.safeParse(key);
        if (!k.success) throw new OutboxError('invalid_message', `Not a key: ${z.prettifyError(k.error)}`);
        changes = requeueOne.run(clock.now(), t.data, k.data).changes;
      }
      if (changes > 0) logger.info('outbox: dead letters requeued', { topic: t.data, rows: changes, ...(key === undefined ? {} : { key }) });
      return changes;
    },

    relay(consumers, options = {}) {
      return new OutboxRelay(db, clock, logger, consumers, options);
    },
  };
}
