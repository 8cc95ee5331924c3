import { describe, expect, it } from 'vitest';
import type { RelayTimers } from '../../../main/outbox/relay';
import { useDynalite } from '../../support/dynalite';
import { useDynamoFaults } from '../../support/dynamo-faults';
import { createCostsTable, ledgerRows, scanAll, SYNC_NOW, useSyncSeats } from '../../support/sync';

/** The relay's timers, held by the test: a pass runs only when the test runs it, and the delay it asked for is seen. */
function heldTimers() {
  let scheduled: { fn: () => void; ms: number } | null = null;
  let waiter: (() => void) | null = null;
  const timers: RelayTimers = {
    setTimeout(fn, ms) {
      scheduled = { fn, ms };
      waiter?.();
      waiter = null;
      return scheduled;
    },
    clearTimeout(handle) {
      if (scheduled === handle) scheduled = null;
    },
  };
  return {
    timers,
    /** Runs the scheduled pass and resolves with the delay the relay asks for next (the pass is over then). */
    async runPass(): Promise<number> {
      const current = scheduled!;
      scheduled = null;
      const next = new Promise<void>((resolve) => (waiter = resolve));
      current.fn();
      await next;
      return scheduled!.ms;
    },
    delay: () => scheduled?.ms ?? null,
  };
}

describe('sync.now while a pass is in flight', () => {
  const startDynalite = useDynalite();
  const startFaults = useDynamoFaults();
  const openSeat = useSyncSeats();

  it('rows committed during a failing pass are delivered right after it when sync.now was asked, the clock not advanced', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint);
    const proxy = await startFaults(endpoint);
    const held = heldTimers();
    let release!: () => void;
    let heldNow!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inFlight = new Promise<void>((resolve) => (heldNow = resolve));
    let sleeps = 0;
    // The first retry wait of the writer holds the pass out until the test lets it go.
    const sleep = async () => {
      if (sleeps++ === 0) {
        heldNow();
        await gate;
      }
    };
    const seat = await openSeat(proxy.endpoint, { timers: held.timers, sleep });
    await seat.record(30);
    // DynamoDB throttles every try of this pass: it fails and parks the rows it did not hold.
    proxy.schedule('throttle', 'throttle', 'throttle', 'throttle', 'throttle', 'throttle');
    seat.relay.start();
    const pass = held.runPass();
    await inFlight;
    await seat.record(20);
    seat.sync.now();
    release();
    // Passes the relay asks to run at once, and only those: no time goes by.
    let next = await pass;
    let passes = 0;
    while (next === 0 && passes++ < 10) next = await held.runPass();
    expect(proxy.remaining()).toBe(0);
    expect(seat.clock.now()).toBe(SYNC_NOW);
    expect(seat.sync.status()).toMatchObject({ backlogRows: 0, lastError: null, syncedRows: 50 });
    expect(ledgerRows(await scanAll(endpoint))).toHaveLength(50);
  });

  it('without sync.now, a failed pass leaves its rows waiting for their backoff (the clock decides)', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint);
    const proxy = await startFaults(endpoint);
    const held = heldTimers();
    const seat = await openSeat(proxy.endpoint, { timers: held.timers });
    await seat.record(30);
    proxy.schedule('throttle', 'throttle', 'throttle', 'throttle', 'throttle', 'throttle');
    seat.relay.start();
    expect(await held.runPass()).toBeGreaterThan(0);
    expect(seat.sync.status().backlogRows).toBe(30);
    await held.runPass();
    // Not due yet by the injected clock: nothing went.
    expect(seat.sync.status().backlogRows).toBe(30);
  });
});
