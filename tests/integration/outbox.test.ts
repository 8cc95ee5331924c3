import { describe, expect, it } from 'vitest';
import { NotInTransactionError, transaction, type Tx } from '../../main/db/tx';
import { OutboxError } from '../../main/outbox';
import { note, noteConsumer, NOW, useOutboxRig } from '../support/outbox';

const DAY = 24 * 60 * 60_000;

describe('outbox: enqueue', () => {
  const rig = useOutboxRig();

  it('leaves nothing behind when the writer’s transaction rolls back', () => {
    const { db, outbox, rows } = rig();
    const write = transaction(db, (tx) => {
      db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"dark\"', 1)").run();
      outbox.enqueue(tx, note('n1'));
      throw new Error('the writer failed after enqueueing');
    });
    expect(() => write()).toThrow(/writer failed/);
    expect(rows()).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM settings').pluck().get()).toBe(0);
  });

  it('refuses to run outside a transaction', () => {
    const { db, outbox, rows } = rig();
    expect(() => outbox.enqueue(db as Tx, note('n1'))).toThrow(NotInTransactionError);
    // @ts-expect-error a plain handle is not a Tx: the type says it must be called inside one
    expect(() => outbox.enqueue(db, note('n1'))).toThrow(/inside a database transaction/);
    expect(rows()).toEqual([]);
  });

  it('is idempotent on topic and key, and keeps the first payload', () => {
    const { outbox, db, enqueue, rows } = rig();
    expect(enqueue(note('k1', 'first'), note('k1', 'second in the same transaction'))).toEqual([true, false]);
    expect(enqueue(note('k1', 'third, later'))).toEqual([false]);
    expect(enqueue({ topic: 'other', key: 'k1', payload: { text: 'same key, other topic' } })).toEqual([true]);
    expect(rows().map((r) => [r.topic, r.key, JSON.parse(r.payload).text])).toEqual([
      ['note', 'k1', 'first'],
      ['other', 'k1', 'same key, other topic'],
    ]);
    expect(rows()[0]).toMatchObject({ state: 'pending', attempts: 0, next_attempt_at: NOW, lease_owner: null });
    expect(outbox.status().map((s) => s.topic)).toEqual(['note', 'other']);
    expect(db.inTransaction).toBe(false);
  });

  it('refuses a bad message with a typed error and writes nothing of it', () => {
    const { enqueue, rows } = rig();
    const bad = [
      { topic: 'Not A Topic', key: 'k', payload: {} },
      { topic: 'note', key: '', payload: {} },
      { topic: 'note', key: 'k', payload: undefined },
      { topic: 'note', key: 'k', payload: { n: 10n } },
      { topic: 'note', key: 'k', payload: { text: 'x'.repeat(300_000) } },
    ];
    for (const message of bad) {
      let caught: unknown;
      try {
        enqueue(note('good'), message);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(OutboxError);
      expect((caught as OutboxError).code).toBe('invalid_message');
    }
    expect(rows()).toEqual([]);
  });
});

describe('outbox: status, compaction, dead letters', () => {
  const rig = useOutboxRig();

  it('counts rows per topic and state, and the oldest pending age', async () => {
    const { outbox, clock, enqueue, track } = rig();
    enqueue(note('a'), note('b'));
    clock.advance(60_000);
    enqueue(note('c'), note('d'), note('e'), { topic: 'alert', key: 'x', payload: {} });
    // a: delivered, b: dead (permanent), c: leased by a relay that never answers; d and e are due but never claimed.
    const relay = track(outbox.relay([noteConsumer((i) => (i.key === 'a' ? { ok: true } : { ok: false, error: 'no', permanent: true }), { batchSize: 2 })]));
    await relay.runOnce();
    let release!: () => void;
    const hanging = track(outbox.relay([noteConsumer(undefined, { batchSize: 1, deliver: () => new Promise((r) => (release = () => r([{ ok: true }]))) })]));
    const stuck = hanging.runOnce();
    clock.advance(10_000); // within the 30 s lease

    expect(outbox.status()).toEqual([
      { topic: 'alert', pending: 1, leased: 0, dead: 0, delivered: 0, oldestPendingAgeMs: 10_000 },
      { topic: 'note', pending: 2, leased: 1, dead: 1, delivered: 1, oldestPendingAgeMs: 10_000 },
    ]);
    release();
    await stuck;
    expect(outbox.status()[1]).toMatchObject({ pending: 2, leased: 0, delivered: 2 });
  });

  it('deletes only delivered rows past retention, in bounded steps', async () => {
    const { outbox, clock, enqueue, rows, track } = rig();
    enqueue(note('old1'), note('old2'), note('old3'), note('dead'), note('waiting'));
    const consumer = noteConsumer((i) => (i.key === 'dead' ? { ok: false, error: 'refused', permanent: true } : { ok: true }), { batchSize: 4 });
    const relay = track(outbox.relay([consumer], { retentionMs: DAY, compactBatchSize: 2 }));
    await relay.runOnce(); // old1..3 delivered, dead is dead; 'waiting' was not claimed (batch of 4)
    clock.advance(DAY - 1);
    enqueue(note('recent'));
    await relay.runOnce(); // delivers 'waiting' and 'recent'; nothing is past retention yet
    expect(rows().filter((r) => r.state === 'delivered')).toHaveLength(5);

    clock.advance(2);
    expect(relay.compactOnce()).toBe(2);
    expect(relay.compactOnce()).toBe(1);
    expect(relay.compactOnce()).toBe(0);
    expect(rows().map((r) => [r.key, r.state])).toEqual([
      ['dead', 'dead'],
      ['waiting', 'delivered'],
      ['recent', 'delivered'],
    ]);
  });

  it('gives dead letters a fresh set of attempts on request', async () => {
    const { outbox, enqueue, row, track } = rig();
    enqueue(note('n1'));
    let healthy = false;
    const relay = track(outbox.relay([noteConsumer(() => (healthy ? { ok: true } : { ok: false, error: 'HTTP 410', permanent: true }))]));
    await relay.runOnce();
    expect(row('note', 'n1')).toMatchObject({ state: 'dead', attempts: 1, last_error: 'HTTP 410' });
    expect(() => outbox.requeueDead('NOPE!')).toThrow(OutboxError);
    expect(outbox.requeueDead('note')).toBe(1);
    expect(row('note', 'n1')).toMatchObject({ state: 'pending', attempts: 0, dead_at: null });
    healthy = true;
    expect(await relay.runOnce()).toMatchObject({ delivered: 1 });
    expect(row('note', 'n1')!.state).toBe('delivered');
  });
});
