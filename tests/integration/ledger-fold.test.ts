import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Db, openDatabase } from '../../main/db/open';
import { idToDb } from '../../main/ledger/ids';
import { type CostRow, Ledger, type LedgerOptions } from '../../main/ledger/ledger';
import { manualClock } from '../../main/ports/clock';
import { costRowArb, expectedRollups, referenceFacts, storedRollups, TEST_ZONES } from '../support/costs';
import { useTempDirs } from '../support/tmp';

const NOW = Date.UTC(2026, 10, 26, 12);

let n = 0;
function cost(over: Partial<CostRow> = {}): CostRow {
  n++;
  return {
    id: `fold-${n}`, requestId: `fold-req-${n}`, attempt: 1, ts: NOW, provider: 'azure', deployment: 'd', baseModel: 'gpt-4o', purpose: 'personalize',
    campaignId: 'cmp-1', operatorId: 'op-1', usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5 }, costMicros: 100, latencyMs: 1, status: 'ok', priceSource: 'table', ...over,
  };
}

async function commit(ledger: Ledger, rows: CostRow[]): Promise<void> {
  const done = rows.map((r) => ledger.record(r));
  ledger.flush();
  await Promise.all(done);
}

const rollupMicros = (db: Db) => db.prepare('SELECT COALESCE(SUM(cost_micros), 0) FROM cost_month_all').pluck().get() as number;
const watermark = (db: Db) => db.prepare('SELECT folded FROM cost_rollup_state').pluck().get() as number;

/** The rollups trail the ledger on a `seq` watermark (main/costs/zone-rollups.ts). */
describe('ledger rollups fold behind the rows', () => {
  const tempDir = useTempDirs();
  const opened: Db[] = [];
  afterEach(() => {
    vi.useRealTimers();
    for (const db of opened.splice(0)) if (db.open) db.close();
  });

  function open(path = join(tempDir(), 'huntaze.db'), options: LedgerOptions = {}) {
    const db = openDatabase(path);
    opened.push(db);
    return { db, path, ledger: new Ledger(db, manualClock(NOW), undefined, { timeZone: 'UTC', ...options }) };
  }

  it('a commit writes only the row; the fold comes once enough rows gathered, and a read settles the rest', async () => {
    const { db, ledger } = open(undefined, { foldRows: 4 });
    await commit(ledger, [cost(), cost(), cost()]);
    expect(rollupMicros(db)).toBe(0);
    expect(ledger.rollups.unfolded).toBe(3);

    await commit(ledger, [cost()]);
    expect(rollupMicros(db)).toBe(400);
    expect(watermark(db)).toBe(4);

    await commit(ledger, [cost({ costMicros: 7 })]);
    expect(rollupMicros(db)).toBe(400);
    expect(ledger.spent()).toEqual({ dayMicros: 407, monthMicros: 407 });
    ledger.settle();
    expect(rollupMicros(db)).toBe(407);
    expect(ledger.rollups.unfolded).toBe(0);
  });

  it('folds a quiet tail after the delay, with nobody reading', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { db, ledger } = open(undefined, { foldDelayMs: 250 });
    await commit(ledger, [cost()]);
    expect(rollupMicros(db)).toBe(0);
    vi.advanceTimersByTime(249);
    expect(rollupMicros(db)).toBe(0);
    vi.advanceTimersByTime(1);
    expect(rollupMicros(db)).toBe(100);
  });

  it('rows committed but not folded when the app stopped are folded at the next open, once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TEST_ZONES), fc.array(costRowArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 60 }), async (zone, rows, foldedFirst) => {
        const path = join(tempDir(), `stop-${n++}.db`);
        const first = open(path, { timeZone: zone, foldDelayMs: 60_000 });
        await first.ledger.rebuilt();
        await commit(first.ledger, rows.slice(0, foldedFirst));
        first.ledger.settle();
        await commit(first.ledger, rows.slice(foldedFirst));
        // Stopped dead: no settle, no close of the AI service.
        first.db.close();

        const again = open(path, { timeZone: zone });
        await again.ledger.rebuilt();
        again.ledger.settle();
        expect(storedRollups(again.db)).toEqual(expectedRollups(referenceFacts(again.db, zone)));
        again.db.close();
      }),
      { numRuns: 15 },
    );
  });

  it('a committed row the sums never saw is found by the fold and counted once', async () => {
    const { db, ledger } = open();
    await commit(ledger, [cost({ costMicros: 1 })]);
    // As if a row committed and the hand-over to the sums had been lost.
    const stray = cost({ costMicros: 20 });
    db.prepare(
      `INSERT INTO ai_costs (id, request_id, attempt, ts, provider, deployment, base_model, purpose, campaign_id, operator_id,
        input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source) VALUES (?, ?, 1, ?, 'azure', 'd', 'gpt-4o', 'copy', 'cmp-1', 'op-1', 1, 0, 1, 20, 1, 'ok', 'table')`,
    ).run(idToDb(stray.id), idToDb(stray.requestId), NOW);
    await commit(ledger, [cost({ costMicros: 300 })]);
    ledger.settle();
    expect(rollupMicros(db)).toBe(321);
    expect(storedRollups(db)).toEqual(expectedRollups(referenceFacts(db, 'UTC')));
  });

  it('a zone change with rows not folded yet re-buckets each row once', async () => {
    const { db, ledger } = open(undefined, { rebuildBatch: 2 });
    const late = Date.UTC(2026, 10, 26, 23, 30); // the 27th in Kolkata
    await commit(ledger, [cost({ ts: late }), cost({ ts: NOW }), cost({ ts: late })]);
    ledger.setTimeZone('Asia/Kolkata');
    await commit(ledger, [cost({ ts: late, costMicros: 5 })]);
    await ledger.rebuilt();
    expect(ledger.timeZone).toBe('Asia/Kolkata');
    ledger.settle();
    expect(storedRollups(db)).toEqual(expectedRollups(referenceFacts(db, 'Asia/Kolkata')));
    expect(rollupMicros(db)).toBe(305);
  });
});
