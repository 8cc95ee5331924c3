import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../main/db/open';
import { type CostRow, Ledger, type LedgerOptions } from '../../main/ledger/ledger';
import { manualClock } from '../../main/ports/clock';
import { costRowArb, expectedRollups, referenceFacts, storedRollups, TEST_ZONES } from '../support/costs';
import { useTempDirs } from '../support/tmp';

const NOW = Date.UTC(2026, 10, 26, 12);

/** Writes rows through the ledger's own group commit, `sizes` rows per batch. */
async function writeBatches(ledger: Ledger, rows: CostRow[], sizes: number[]): Promise<void> {
  let i = 0;
  let s = 0;
  while (i < rows.length) {
    const n = Math.max(1, sizes[s++ % sizes.length]!);
    const batch = rows.slice(i, i + n).map((r) => ledger.record(r));
    ledger.flush();
    await Promise.all(batch);
    i += n;
  }
  // The rollups trail the ledger; every reader settles them first.
  ledger.settle();
}

describe('cost rollups (fast-check, real SQLite files)', () => {
  const tempDir = useTempDirs();

  async function open(zone: string, options: LedgerOptions = {}, path?: string) {
    const dbPath = path ?? join(tempDir(), 'huntaze.db');
    const db = openDatabase(dbPath);
    const ledger = new Ledger(db, manualClock(NOW), undefined, { timeZone: zone, ...options });
    await ledger.rebuilt();
    return { db, ledger, dbPath };
  }

  it('every rollup equals the ledger rows bucketed by the slow reference, to the micro-dollar, for any rows, order, batching and zone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TEST_ZONES), fc.array(costRowArb, { minLength: 1, maxLength: 120 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }), async (zone, rows, sizes) => {
        const { db, ledger } = await open(zone);
        try {
          // Replays of rows already written must not count twice.
          await writeBatches(ledger, [...rows, ...rows.slice(0, 3).map((r) => ({ ...r }))], sizes);
          expect(storedRollups(db)).toEqual(expectedRollups(referenceFacts(db, zone)));
          const total = rows.reduce((s, r) => s + r.costMicros, 0);
          expect(db.prepare('SELECT SUM(cost_micros) FROM cost_month_all').pluck().get()).toBe(total);
        } finally {
          db.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('after a time-zone change every row is counted exactly once, including rows written while the rebuild runs; answers stay in the old zone until it is done', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TEST_ZONES),
        fc.constantFrom(...TEST_ZONES),
        fc.array(costRowArb, { minLength: 0, maxLength: 80 }),
        fc.array(costRowArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 17 }),
        async (from, to, before, during, batch) => {
          const writes: Promise<void>[] = [];
          const queue = [...during];
          let snapshotsChecked = 0;
          // Filled once open() returns; the first rebuild (of an empty ledger) finishes before that.
          const the: { db?: Db; ledger?: Ledger } = {};
          const { db, ledger } = await open(from, {
            rebuildBatch: batch,
            onRebuild: (p) => {
              if (p.finished || p.zone !== to || !the.db || !the.ledger) return;
              // Mid-rebuild, the live set still answers exactly in the old zone.
              the.ledger.settle();
              expect(storedRollups(the.db)).toEqual(expectedRollups(referenceFacts(the.db, from)));
              snapshotsChecked++;
              const row = queue.shift();
              if (row) {
                writes.push(the.ledger.record(row));
                the.ledger.flush();
              }
            },
          });
          Object.assign(the, { db, ledger });
          try {
            await writeBatches(ledger, before, [7]);
            ledger.setTimeZone(to);
            await ledger.rebuilt();
            await Promise.all(writes);
            await writeBatches(ledger, queue.splice(0), [5]);
            expect(ledger.timeZone).toBe(to);
            expect(storedRollups(db)).toEqual(expectedRollups(referenceFacts(db, to)));
            expect(Object.values(storedRollups(db, '_next')).flat()).toEqual([]);
            if (from !== to && before.length > batch) expect(snapshotsChecked).toBeGreaterThan(0);
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a rebuild cut short by closing the database resumes at the next open and counts every row once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(costRowArb, { minLength: 30, maxLength: 100 }), fc.constantFrom(...TEST_ZONES.slice(1)), async (rows, zone) => {
        const first = await open('UTC');
        await writeBatches(first.ledger, rows, [9]);
        let steps = 0;
        const cut = new Ledger(first.db, manualClock(NOW), undefined, {
          rebuildBatch: 10,
          onRebuild: (p) => {
            if (!p.finished && ++steps === 2) first.db.close();
          },
        });
        cut.setTimeZone(zone);
        await cut.rebuilt();
        expect(first.db.open).toBe(false);

        const probe = openDatabase(first.dbPath);
        const state = probe.prepare('SELECT zone, target_zone, cursor, high FROM cost_rollup_state').get();
        expect(state).toEqual({ zone: 'UTC', target_zone: zone, cursor: 20, high: rows.length });
        probe.close();

        // Reopened without a zone: the recorded target resumes on its own.
        const db = openDatabase(first.dbPath);
        const again = new Ledger(db, manualClock(NOW));
        await again.rebuilt();
        try {
          expect(again.timeZone).toBe(zone);
          expect(storedRollups(db)).toEqual(expectedRollups(referenceFacts(db, zone)));
        } finally {
          db.close();
        }
      }),
      { numRuns: 10 },
    );
  });

  it('spent() is today and this month in the agency zone, read from the rollups', async () => {
    // 2026-11-26 20:00 UTC is already the 27th in Kolkata.
    const clockAt = Date.UTC(2026, 10, 26, 20);
    const db = openDatabase(join(tempDir(), 'huntaze.db'));
    const ledger = new Ledger(db, manualClock(clockAt), undefined, { timeZone: 'Asia/Kolkata' });
    await ledger.rebuilt();
    try {
      const [row] = fc.sample(costRowArb, 1);
      await writeBatches(ledger, [{ ...row!, ts: Date.UTC(2026, 10, 26, 18, 29), costMicros: 5 }, { ...row!, id: 'x2', requestId: 'x2', ts: Date.UTC(2026, 10, 26, 18, 31), costMicros: 7 }], [2]);
      expect(ledger.spent()).toEqual({ dayMicros: 7, monthMicros: 12 });
      ledger.setTimeZone('UTC');
      await ledger.rebuilt();
      expect(ledger.spent()).toEqual({ dayMicros: 12, monthMicros: 12 });
    } finally {
      db.close();
    }
  });
});
