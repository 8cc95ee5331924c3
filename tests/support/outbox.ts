import { join } from 'node:path';
import { afterEach } from 'vitest';
import { z } from 'zod';
import { type Db, openDatabase } from '../../main/db/open';
import { transaction } from '../../main/db/tx';
import { createOutbox, type DeliveryOutcome, type Outbox, type OutboxConsumer, type OutboxItem, type OutboxMessage, type OutboxRelay, type RelayTimers } from '../../main/outbox';
import { manualClock } from '../../main/ports/clock';
import { type RecordingLogger, recordingLogger } from './ai';
import { useTempDirs } from './tmp';

export const NOW = Date.UTC(2026, 10, 26, 12);

export interface OutboxRow {
  id: number;
  topic: string;
  key: string;
  payload: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  delivered_at: number | null;
  dead_at: number | null;
}

export interface OutboxRig {
  db: Db;
  clock: ReturnType<typeof manualClock>;
  logger: RecordingLogger;
  outbox: Outbox;
  /** Enqueues every message in one transaction; true for each that was new. */
  enqueue(...messages: OutboxMessage[]): boolean[];
  /** Registers a relay to be stopped after the test. */
  track(relay: OutboxRelay): OutboxRelay;
  row(topic: string, key: string): OutboxRow | undefined;
  rows(): OutboxRow[];
}

/** An outbox over a real SQLite file, a manual clock and a recording logger; relays are stopped after each test. */
export function useOutboxRig(): () => OutboxRig {
  const tempDir = useTempDirs();
  const dbs: Db[] = [];
  const relays: OutboxRelay[] = [];
  afterEach(async () => {
    for (const r of relays.splice(0)) await r.stop();
    for (const db of dbs.splice(0)) db.close();
  });
  return () => {
    const db = openDatabase(join(tempDir(), 'huntaze.db'));
    dbs.push(db);
    const clock = manualClock(NOW);
    const logger = recordingLogger();
    const outbox: Outbox = createOutbox({ db, clock, logger });
    const enqueueAll = transaction(db, (tx, messages: OutboxMessage[]) => messages.map((m) => outbox.enqueue(tx, m)));
    const track = (relay: OutboxRelay) => {
      relays.push(relay);
      return relay;
    };
    const row = (topic: string, key: string) => db.prepare('SELECT * FROM outbox WHERE topic = ? AND key = ?').get(topic, key) as OutboxRow | undefined;
    const rows = () => db.prepare('SELECT * FROM outbox ORDER BY id').all() as OutboxRow[];
    return { db, clock, logger, outbox, enqueue: (...messages: OutboxMessage[]) => enqueueAll(messages), track, row, rows };
  };
}

export const notePayload = z.object({ text: z.string() });
export type Note = z.infer<typeof notePayload>;

export interface TestConsumer extends OutboxConsumer<Note> {
  calls: OutboxItem<Note>[][];
}

/** A consumer of topic 'note' whose outcome per item the test decides. */
export function noteConsumer(
  outcome: (item: OutboxItem<Note>) => DeliveryOutcome = () => ({ ok: true }),
  settings: Partial<OutboxConsumer<Note>> = {},
): TestConsumer {
  const calls: OutboxItem<Note>[][] = [];
  return {
    topic: 'note',
    schema: notePayload,
    batchSize: 10,
    maxAttempts: 5,
    leaseMs: 30_000,
    backoff: { baseMs: 1_000, maxMs: 8_000 },
    async deliver(items) {
      calls.push([...items]);
      return items.map(outcome);
    },
    ...settings,
    calls,
  };
}

/** Timers the test fires by hand; `scheduled()` resolves when the relay next arms one. */
export function manualTimers(): RelayTimers & { armed: { fn: () => void; ms: number }[]; fire(): void; scheduled(): Promise<number> } {
  const armed: { fn: () => void; ms: number }[] = [];
  let waiter: ((ms: number) => void) | null = null;
  return {
    armed,
    setTimeout(fn, ms) {
      const t = { fn, ms };
      armed.push(t);
      waiter?.(ms);
      waiter = null;
      return t;
    },
    clearTimeout(handle) {
      const i = armed.indexOf(handle as (typeof armed)[number]);
      if (i >= 0) armed.splice(i, 1);
    },
    fire() {
      const t = armed.shift();
      if (!t) throw new Error('no timer armed');
      t.fn();
    },
    scheduled() {
      return new Promise((resolve) => (waiter = resolve));
    },
  };
}

export const note = (key: string, text = `note ${key}`): OutboxMessage<Note> => ({ topic: 'note', key, payload: { text } });
