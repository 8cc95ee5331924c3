import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../../main/db/open';
import { NotInTransactionError, type Tx, transaction } from '../../../main/db/tx';
import { type Decision, type Grant, type LimiterConfig, LimiterConfigError, LimiterKeyError, type LimiterTimers, RateLimiter } from '../../../main/limits';
import { simClock } from '../../support/limits';
import { useTempDirs } from '../../support/tmp';

const LOOSE = { perMinute: 6000, burst: 100 };
const ACCOUNT_ONLY: LimiterConfig = { account: { perMinute: 10, burst: 1, minSpacingMs: 3000 }, operator: LOOSE, global: LOOSE };
const keys = (account = 'a1', operator = 'op1') => ({ account, operator });

/** Timers the test fires by hand, so `acquire` is driven without waiting on real time. */
function handTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: LimiterTimers = {
    setTimeout: (fn, ms) => {
      pending.set(++next, { fn, ms });
      return next;
    },
    clearTimeout: (h) => pending.delete(h as number),
  };
  return { timers, pending, fireAll: () => [...pending.entries()].forEach(([id, t]) => (pending.delete(id), t.fn())) };
}

describe('RateLimiter', () => {
  const tempDir = useTempDirs();
  const dbs: Db[] = [];
  function setup(config: LimiterConfig = ACCOUNT_ONLY, path = join(tempDir(), 'huntaze.db'), sim = simClock(), timers?: LimiterTimers) {
    const db = openDatabase(path);
    dbs.push(db);
    const limiter = new RateLimiter(db, sim.clock, config, timers);
    const save = transaction(db, (tx: Tx, grant: Grant) => limiter.persist(tx, grant));
    const send = (k = keys()): Decision => {
      const d = limiter.tryAcquire(k);
      if (d.allowed) save(d.grant);
      return d;
    };
    return { db, limiter, sim, send, path };
  }
  afterEach(() => dbs.splice(0).forEach((db) => db.close()));

  it('msBeforeNext is exact: refused 1 ms before it, allowed at it', () => {
    const { sim, send } = setup();
    expect(send()).toMatchObject({ allowed: true, msBeforeNext: 6000 });
    expect(send()).toMatchObject({ allowed: false, msBeforeNext: 6000, layer: 'account' });
    sim.advance(5999);
    expect(send()).toMatchObject({ allowed: false, msBeforeNext: 1, layer: 'account' });
    sim.advance(1);
    expect(send()).toMatchObject({ allowed: true });
  });

  it('with a burst, the 3 s spacing still holds and the rate takes over after the burst', () => {
    const { sim, send } = setup({ ...ACCOUNT_ONLY, account: { perMinute: 10, burst: 3, minSpacingMs: 3000 } });
    // 3 s apart, the 6 s rule falls behind by 3 s a send until its 12 s of burst is spent:
    // five sends (burst 3 + 12 s / 6 s), then the steady 6 s.
    for (let i = 0; i < 4; i++) {
      expect(send()).toMatchObject({ allowed: true, msBeforeNext: 3000 });
      expect(send()).toMatchObject({ allowed: false, msBeforeNext: 3000, layer: 'account' });
      sim.advance(3000);
    }
    expect(send()).toMatchObject({ allowed: true, msBeforeNext: 6000 });
    sim.advance(3000);
    expect(send()).toMatchObject({ allowed: false, msBeforeNext: 3000 });
  });

  it('consumes nothing when one layer refuses', () => {
    const one = { perMinute: 1, burst: 1 };
    const { send } = setup({ account: one, operator: one, global: LOOSE });
    expect(send(keys('a', 'op1')).allowed).toBe(true);
    expect(send(keys('b', 'op1'))).toMatchObject({ allowed: false, layer: 'operator', msBeforeNext: 60000 });
    // Had the refusal spent b's account budget, b would now be refused by the account layer.
    expect(send(keys('b', 'op2')).allowed).toBe(true);
  });

  it('a restart never grants a fresh window, though the monotonic clock starts again at 0', () => {
    const first = setup();
    expect(first.send().allowed).toBe(true);
    first.db.close();
    dbs.length = 0;
    first.sim.advance(1000);
    first.sim.restartMonotonic();
    const again = setup(ACCOUNT_ONLY, first.path, first.sim);
    expect(again.send()).toMatchObject({ allowed: false, msBeforeNext: 5000, layer: 'account' });
  });

  it('a wall-clock jump of ±1 h while running neither frees nor locks', () => {
    const { sim, send } = setup();
    send();
    sim.jumpWall(3_600_000);
    expect(send()).toMatchObject({ allowed: false, msBeforeNext: 6000 });
    sim.jumpWall(-7_200_000);
    sim.advance(6000);
    expect(send().allowed).toBe(true);
  });

  it('a wall clock that went backwards across a restart counts as no time elapsed, never as a refund', () => {
    const first = setup();
    first.send();
    first.db.close();
    dbs.length = 0;
    first.sim.advance(2000);
    first.sim.jumpWall(-3_600_000);
    first.sim.restartMonotonic();
    const again = setup(ACCOUNT_ONLY, first.path, first.sim);
    expect(again.send()).toMatchObject({ allowed: false, msBeforeNext: 6000 });
  });

  it('acquire waits msBeforeNext, then grants', async () => {
    const hand = handTimers();
    const { limiter, sim } = setup(ACCOUNT_ONLY, undefined, undefined, hand.timers);
    expect(limiter.tryAcquire(keys()).allowed).toBe(true);
    const got = limiter.acquire(keys());
    await Promise.resolve();
    expect([...hand.pending.values()].map((t) => t.ms)).toEqual([6000]);
    sim.advance(6000);
    hand.fireAll();
    await expect(got).resolves.toMatchObject({ states: expect.arrayContaining([expect.objectContaining({ rule: 'account', key: 'a1' })]) });
    expect(limiter.peek(keys())).toMatchObject({ msBeforeNext: 6000, layer: 'account' });
  });

  it('acquire rejects with the abort reason, clears its timer and consumes nothing', async () => {
    const hand = handTimers();
    const { limiter, sim } = setup(ACCOUNT_ONLY, undefined, undefined, hand.timers);
    limiter.tryAcquire(keys());
    const ctl = new AbortController();
    const got = limiter.acquire(keys(), ctl.signal);
    await Promise.resolve();
    ctl.abort(new Error('operator paused'));
    await expect(got).rejects.toThrow('operator paused');
    expect(hand.pending.size).toBe(0);
    sim.advance(6000);
    expect(limiter.tryAcquire(keys()).allowed).toBe(true);
  });

  it('refuses bad limits and bad keys with typed errors', () => {
    expect(() => setup({ ...ACCOUNT_ONLY, account: { perMinute: 0, burst: 1 } })).toThrow(LimiterConfigError);
    expect(() => setup({ ...ACCOUNT_ONLY, global: { perMinute: 10, burst: 1.5 } })).toThrow(LimiterConfigError);
    const { limiter } = setup();
    expect(() => limiter.tryAcquire({ account: '', operator: 'op' })).toThrow(LimiterKeyError);
    expect(() => limiter.setLimit('account', 'a1', { perMinute: -1, burst: 1 })).toThrow(LimiterConfigError);
  });

  it('a per-account limit overrides the layer default', () => {
    const { send, limiter } = setup();
    limiter.setLimit('account', 'fast', { perMinute: 60, burst: 1 });
    expect(send(keys('fast'))).toMatchObject({ allowed: true, msBeforeNext: 1000 });
  });

  it('persist refuses to run outside a transaction', () => {
    const { db, limiter } = setup();
    const d = limiter.tryAcquire(keys());
    if (!d.allowed) throw new Error('expected a grant');
    expect(() => limiter.persist(db as Tx, d.grant)).toThrow(NotInTransactionError);
  });
});
