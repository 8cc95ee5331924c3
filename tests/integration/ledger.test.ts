import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../main/db/open';
import { idFromDb, idToDb } from '../../main/ledger/ids';
import { AI_COST_TOPIC, aiCostPayloadSchema, type CostRow, Ledger } from '../../main/ledger/ledger';
import { createOutbox, defineConsumer } from '../../main/outbox';
import { manualClock } from '../../main/ports/clock';
import { useTempDirs } from '../support/tmp';

const NOW = Date.UTC(2026, 10, 26, 12);

let seq = 0;
function cost(overrides: Partial<CostRow> = {}): CostRow {
  seq++;
  return {
    id: `cost-${seq}`,
    requestId: `req-${seq}`,
    attempt: 1,
    ts: NOW,
    provider: 'azure',
    deployment: 'prod-chat-eu',
    baseModel: 'gpt-4o',
    purpose: 'personalize',
    campaignId: 'cmp-1',
    operatorId: 'op-1',
    usage: { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 100 },
    costMicros: 1_000 + seq,
    latencyMs: 250,
    status: 'ok',
    priceSource: 'table',
    ...overrides,
  };
}

describe('ledger group commit', () => {
  const tempDir = useTempDirs();
  const opened: Db[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });

  function setup() {
    const db = openDatabase(join(tempDir(), 'huntaze.db'));
    opened.push(db);
    return { db, ledger: new Ledger(db, manualClock(NOW)) };
  }

  /** Queues every row in one turn of the event loop so they share one transaction; then brings the rollups up to it, as every reader does. */
  async function recordBatch(ledger: Ledger, rows: CostRow[]) {
    const settled = Promise.allSettled(rows.map((r) => ledger.record(r)));
    ledger.flush();
    const results = await settled;
    ledger.settle();
    return results;
  }

  const rollupTotal = (db: Db, period: 'day' | 'month') =>
    db.prepare(`SELECT COALESCE(SUM(cost_micros), 0) AS micros, COALESCE(SUM(requests), 0) AS requests FROM ${period === 'day' ? 'cost_day_model' : 'cost_month_all'}`).get() as {
      micros: number;
      requests: number;
    };

  it('rejects only the row that breaks a constraint and commits the rest of its batch', async () => {
    const { db, ledger } = setup();
    const good1 = cost();
    const bad = cost({ usage: { inputTokens: 10, cachedInputTokens: 11, outputTokens: 1 } });
    const good2 = cost({ campaignId: 'cmp-2' });
    const results = await recordBatch(ledger, [good1, bad, good2]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/CHECK constraint/);
    expect(db.prepare('SELECT id FROM ai_costs ORDER BY id').pluck().all()).toEqual([good1.id, good2.id].sort());
    const expected = good1.costMicros + good2.costMicros;
    expect(rollupTotal(db, 'day')).toEqual({ micros: expected, requests: 2 });
    expect(rollupTotal(db, 'month')).toEqual({ micros: expected, requests: 2 });
    // One announcement for the commit; the failed row's seq was rolled back with it.
    const [announced] = db.prepare("SELECT payload FROM outbox WHERE topic = 'ai_cost'").pluck().all() as string[];
    const { fromSeq, toSeq } = aiCostPayloadSchema.parse(JSON.parse(announced!));
    expect(db.prepare('SELECT id FROM ai_costs WHERE seq BETWEEN ? AND ? ORDER BY id').pluck().all(fromSeq, toSeq)).toEqual([good1.id, good2.id].sort());
    expect(ledger.spent()).toEqual({ dayMicros: expected, monthMicros: expected });
  });

  it('aggregates rollups per key and counts a replayed row once', async () => {
    const { db, ledger } = setup();
    const a = cost();
    const rows = [a, cost(), cost({ provider: 'openai', baseModel: 'gpt-4o-mini' }), { ...a }, cost({ campaignId: null, operatorId: null })];
    const results = await recordBatch(ledger, rows);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const byKey = db
      .prepare("SELECT provider, model, campaign_id AS c, operator_id AS o, requests, cost_micros AS micros FROM cost_day_all ORDER BY provider, model, c")
      .all();
    expect(byKey).toEqual([
      { provider: 'azure', model: 'gpt-4o', c: '', o: '', requests: 1, micros: rows[4]!.costMicros },
      { provider: 'azure', model: 'gpt-4o', c: 'cmp-1', o: 'op-1', requests: 2, micros: rows[0]!.costMicros + rows[1]!.costMicros },
      { provider: 'openai', model: 'gpt-4o-mini', c: 'cmp-1', o: 'op-1', requests: 1, micros: rows[2]!.costMicros },
    ]);
    const tokens = db.prepare("SELECT SUM(input_tokens) AS i, SUM(cached_input_tokens) AS c, SUM(output_tokens) AS o FROM cost_month_all").get();
    expect(tokens).toEqual({ i: 4000, c: 800, o: 400 });
  });

  it('keeps spent() equal to the rollups when the commit itself fails', async () => {
    const { db, ledger } = setup();
    await recordBatch(ledger, [cost()]);
    const before = ledger.spent();
    expect(before.dayMicros).toBeGreaterThan(0);

    // A deferred foreign key is only checked at COMMIT: every row's own statements succeed,
    // then the commit fails and SQLite rolls the whole batch back.
    db.exec(`
      CREATE TABLE poison_parent (id INTEGER PRIMARY KEY);
      CREATE TABLE poison_child (parent INTEGER REFERENCES poison_parent (id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER poison AFTER INSERT ON ai_costs WHEN NEW.status = 'poison' BEGIN INSERT INTO poison_child VALUES (42); END;
    `);
    const results = await recordBatch(ledger, [cost(), cost({ status: 'poison' }), cost()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);

    expect(db.prepare('SELECT COUNT(*) FROM ai_costs').pluck().get()).toBe(1);
    expect(ledger.spent()).toEqual(before);
    expect(ledger.spent()).toEqual({ dayMicros: rollupTotal(db, 'day').micros, monthMicros: rollupTotal(db, 'month').micros });

    db.exec('DROP TRIGGER poison');
    const next = cost();
    await recordBatch(ledger, [next]);
    expect(ledger.spent()).toEqual({ dayMicros: before.dayMicros + next.costMicros, monthMicros: before.monthMicros + next.costMicros });
    expect(ledger.spent().dayMicros).toBe(rollupTotal(db, 'day').micros);
  });

  it('retries the innocent rows when one row rolls back the whole transaction', async () => {
    const { db, ledger } = setup();
    db.exec(`CREATE TRIGGER kill AFTER INSERT ON ai_costs WHEN NEW.status = 'kill' BEGIN SELECT RAISE(ROLLBACK, 'killed by trigger'); END;`);
    const before = ledger.spent();
    const rows = [cost(), cost({ status: 'kill' }), cost()];
    const results = await recordBatch(ledger, rows);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/killed by trigger/);
    expect(db.prepare('SELECT id FROM ai_costs ORDER BY id').pluck().all()).toEqual([rows[0]!.id, rows[2]!.id].sort());
    expect(db.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(1);
    const expected = before.dayMicros + rows[0]!.costMicros + rows[2]!.costMicros;
    expect(rollupTotal(db, 'day')).toEqual({ micros: expected, requests: 2 });
    expect(ledger.spent()).toEqual({ dayMicros: expected, monthMicros: expected });
  });

  it('writes nothing of a commit whose outbox announcement fails', async () => {
    const { db, ledger } = setup();
    const first = cost();
    await recordBatch(ledger, [first]);
    // The cost rows go in first; the commit's announcement then fails and must take them all back out.
    db.exec(`CREATE TRIGGER no_outbox BEFORE INSERT ON outbox WHEN NEW.topic = 'ai_cost' BEGIN SELECT RAISE(ABORT, 'outbox refused'); END;`);
    const results = await recordBatch(ledger, [cost(), cost()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/outbox refused/);
    expect(db.prepare('SELECT id FROM ai_costs').pluck().all()).toEqual([first.id]);
    expect(rollupTotal(db, 'day')).toEqual({ micros: first.costMicros, requests: 1 });
    expect(ledger.spent().dayMicros).toBe(first.costMicros);
  });

  it('announces each commit once on the outbox as a seq range, which a consumer reads back as exactly its new rows', async () => {
    const { db, ledger } = setup();
    const rows = [cost(), cost()];
    await recordBatch(ledger, [...rows, { ...rows[0]! }]);
    const later = cost();
    await recordBatch(ledger, [later, { ...rows[1]! }]);
    expect(db.prepare('SELECT topic, key FROM outbox ORDER BY id').all()).toEqual([
      { topic: AI_COST_TOPIC, key: 'seq:1' },
      { topic: AI_COST_TOPIC, key: 'seq:3' },
    ]);

    const seen: { id: string; cost_micros: number }[] = [];
    const readRange = db.prepare<[number, number], { id: string; cost_micros: number }>('SELECT id, cost_micros FROM ai_costs WHERE seq BETWEEN ? AND ? ORDER BY seq');
    const relay = createOutbox({ db, clock: manualClock(NOW) }).relay([
      defineConsumer({
        topic: AI_COST_TOPIC,
        schema: aiCostPayloadSchema,
        batchSize: 25,
        maxAttempts: 5,
        async deliver(items) {
          for (const item of items) seen.push(...readRange.all(item.payload.fromSeq, item.payload.toSeq));
          return items.map(() => ({ ok: true }));
        },
      }),
    ]);
    expect(await relay.runOnce()).toMatchObject({ delivered: 2 });
    // The replays of rows[0] and rows[1] were not written, so nothing is announced twice.
    expect(seen).toEqual([...rows, later].map((r) => ({ id: r.id, cost_micros: r.costMicros })));
  });

  it('stores UUID ids as 16-byte blobs that read back as written, and still refuses a replay', async () => {
    const { db, ledger } = setup();
    const uuid = cost({ id: '019ac0de-1234-7abc-8def-0123456789ab', requestId: '019ac0de-1234-7abc-9def-0123456789ac' });
    const upper = cost({ id: '019AC0DE-1234-7ABC-8DEF-0123456789AB' });
    const results = await recordBatch(ledger, [uuid, upper, { ...uuid }]);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const stored = db.prepare('SELECT id, request_id FROM ai_costs ORDER BY seq').all() as { id: string | Buffer; request_id: string | Buffer }[];
    expect(stored.map((r) => [Buffer.isBuffer(r.id) ? r.id.length : r.id, Buffer.isBuffer(r.request_id) ? r.request_id.length : r.request_id])).toEqual([
      [16, 16],
      [upper.id, upper.requestId],
    ]);
    expect(stored.map((r) => [idFromDb(r.id), idFromDb(r.request_id)])).toEqual([
      [uuid.id, uuid.requestId],
      [upper.id, upper.requestId],
    ]);
    expect(db.prepare('SELECT COUNT(*) FROM ai_costs WHERE id = ?').pluck().get(idToDb(uuid.id))).toBe(1);
    expect(rollupTotal(db, 'day')).toEqual({ micros: uuid.costMicros + upper.costMicros, requests: 2 });
  });
});
