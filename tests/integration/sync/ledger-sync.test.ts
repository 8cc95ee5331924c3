import { describe, expect, it } from 'vitest';
import { useDynalite } from '../../support/dynalite';
import { useDynamoFaults } from '../../support/dynamo-faults';
import { createCostsTable, scanAll, teamTotals, useSyncSeats } from '../../support/sync';

/** Delivered `ai_cost` rows go back to pending: the relay sends the same ranges again. */
const requeueDelivered = (db: import('../../../main/db/open').Db) =>
  db.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = 0, delivered_at = NULL, attempts = 0 WHERE topic = 'ai_cost'`).run().changes;

describe('the ledger’s sync to DynamoDB (dynalite and a fault proxy on loopback, the real SDK)', () => {
  const startDynalite = useDynalite();
  const startFaults = useDynamoFaults();
  const openSeat = useSyncSeats();

  it('under UnprocessedItems, throttling and dropped connections, and replayed 5 times, the team totals equal the seats’ ledgers', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint);
    const proxy = await startFaults(endpoint);
    const a = await openSeat(proxy.endpoint);
    const b = await openSeat(proxy.endpoint);
    await a.record(120);
    await b.record(75);
    proxy.schedule('unprocessed', 'throttle', 'drop', 'unprocessed', 'throttle', 'throttle', 'drop', 'unprocessed');
    await a.drain();
    await b.drain();
    expect(proxy.remaining()).toBe(0);
    expect(a.sync.status()).toMatchObject({ state: 'idle', backlogRows: 0, oldestPendingAgeMs: null, lastError: null, syncedRows: 120 });

    const expected = a.localMicros() + b.localMicros();
    const first = await scanAll(endpoint);
    expect(teamTotals(first)).toEqual({ dayMicros: expected, monthMicros: expected, rowMicros: expected, rows: 195 });
    // Two seat items, one per data folder.
    expect(first.filter((i) => i.pk === 'SEAT')).toHaveLength(2);

    for (let round = 0; round < 5; round++) {
      expect(requeueDelivered(a.db)).toBeGreaterThan(0);
      requeueDelivered(b.db);
      proxy.schedule('drop', 'unprocessed');
      await a.drain();
      await b.drain();
      const again = await scanAll(endpoint);
      expect(teamTotals(again)).toEqual({ dayMicros: expected, monthMicros: expected, rowMicros: expected, rows: 195 });
      expect(again).toHaveLength(first.length);
    }
  });

  it('new rows after a sync move the seat’s aggregates to the new absolute totals, never adding twice', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint);
    const seat = await openSeat(endpoint);
    await seat.record(30);
    await seat.drain();
    await seat.record(30);
    await seat.drain();
    const items = await scanAll(endpoint);
    expect(teamTotals(items)).toEqual({ dayMicros: seat.localMicros(), monthMicros: seat.localMicros(), rowMicros: seat.localMicros(), rows: 60 });
    // The month spans New York's Nov 30 → Dec 1: both months are there, bucketed in the agency’s zone.
    expect(new Set(items.filter((i) => String(i.pk).startsWith('AGG#month#')).map((i) => i.pk))).toEqual(new Set(['AGG#month#2026-11', 'AGG#month#2026-12']));
  });

  it('offline: the backlog and its lag grow and show, the ledger keeps working, and after restart the sync resumes by itself', async () => {
    const dynalite = await startDynalite();
    await createCostsTable(dynalite.endpoint);
    const seat = await openSeat(dynalite.endpoint);
    await seat.record(20);
    await seat.drain();
    await dynalite.stop();

    await seat.record(25);
    await seat.relay.runOnce();
    const offline = seat.sync.status();
    expect(offline).toMatchObject({ state: 'offline', backlogRows: 25, lastError: { code: 'offline' } });
    seat.clock.advance(10 * 60_000);
    await seat.record(5);
    await seat.relay.runOnce();
    const later = seat.sync.status();
    expect(later.backlogRows).toBe(30);
    expect(later.oldestPendingAgeMs!).toBeGreaterThanOrEqual(10 * 60_000);
    // Many failed passes later the rows still wait: none went to dead letter.
    for (let i = 0; i < 40; i++) {
      seat.clock.advance(61_000);
      await seat.relay.runOnce();
    }
    expect(seat.db.prepare(`SELECT COUNT(*) FROM outbox WHERE topic = 'ai_cost' AND state = 'dead'`).pluck().get()).toBe(0);

    await dynalite.restart();
    // dynalite's restart comes back empty: the table is made again, as provisioning would.
    await createCostsTable(dynalite.endpoint);
    // No sync.now: the relay's capped backoff (≤ 60 s) brings the rows round again.
    seat.clock.advance(61_000);
    await seat.relay.runOnce();
    expect(seat.sync.status()).toMatchObject({ state: 'idle', backlogRows: 0, lastError: null });
    // Absolute aggregates: the month's total holds every row, also those synced before the outage.
    expect(teamTotals(await scanAll(dynalite.endpoint)).monthMicros).toBe(seat.localMicros());
  });

  it('with the team layer off the rows wait (not dead), and switching it on syncs the history', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint);
    const seat = await openSeat(endpoint, { enabled: false });
    // 60 group commits: more ranges than one claim takes (50).
    await seat.record(17 * 60);
    await seat.relay.runOnce();
    const due = () => seat.db.prepare(`SELECT COUNT(*) FROM outbox WHERE topic = 'ai_cost' AND next_attempt_at <= ?`).pluck().get(seat.clock.now()) as number;
    // The ranges the pass did not claim wait too, rather than being claimed only to fail.
    expect(due()).toBe(0);
    for (let i = 0; i < 3; i++) {
      await seat.relay.runOnce();
      seat.clock.advance(61_000);
    }
    expect(seat.sync.status()).toMatchObject({ state: 'off', backlogRows: 17 * 60 });
    expect(await scanAll(endpoint)).toHaveLength(0);
    seat.store.set({ ...seat.store.get(), enabled: true });
    seat.sync.now();
    expect(due()).toBe(60);
    await seat.relay.runOnce();
    await seat.relay.runOnce();
    expect(seat.sync.status()).toMatchObject({ state: 'idle', backlogRows: 0 });
    expect(teamTotals(await scanAll(endpoint)).rowMicros).toBe(seat.localMicros());
  });

  it('a missing table leaves the rows waiting and says to provision; delivered rows are compacted after retention', async () => {
    const { endpoint } = await startDynalite();
    const seat = await openSeat(endpoint);
    await seat.record(10);
    await seat.relay.runOnce();
    expect(seat.sync.status()).toMatchObject({ state: 'error', backlogRows: 10, lastError: { code: 'table_missing' } });
    await createCostsTable(endpoint);
    await seat.drain();
    const count = () => seat.db.prepare(`SELECT COUNT(*) FROM outbox WHERE topic = 'ai_cost'`).pluck().get() as number;
    expect(count()).toBeGreaterThan(0);
    // The seat's relay keeps delivered rows a day (the rig's retention), then deletes them.
    seat.clock.advance(24 * 60 * 60_000 + 1);
    await seat.relay.runOnce();
    expect(count()).toBe(0);
    expect(seat.localRows()).toBe(10);
  });
});
