import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../main/db/open';
import { type Tx, transaction } from '../../main/db/tx';
import { allowedInWindow, type Grant, LAYERS, type LimiterConfig, RateLimiter, type Rule, rulesOf } from '../../main/limits';
import { firstViolation, simClock } from '../support/limits';
import { useTempDirs } from '../support/tmp';

// Rates that divide a minute, so intervals are whole milliseconds and the check is exact.
const perMinute = fc.constantFrom(10, 12, 15, 20, 30, 40, 60);
const configArb: fc.Arbitrary<LimiterConfig> = fc.record({
  account: fc.record({ perMinute, burst: fc.integer({ min: 1, max: 3 }), minSpacingMs: fc.constantFrom(undefined, 1000, 3000) }, { requiredKeys: ['perMinute', 'burst'] }),
  operator: fc.record({ perMinute, burst: fc.integer({ min: 1, max: 4 }) }),
  global: fc.record({ perMinute, burst: fc.integer({ min: 1, max: 5 }) }),
});
const HOUR = 3_600_000;
const eventArb = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('arrive' as const), dt: fc.integer({ min: 0, max: 8000 }), account: fc.integer({ min: 0, max: 2 }), operator: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('jump' as const), ms: fc.constantFrom(HOUR, -HOUR) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), downtime: fc.integer({ min: 0, max: 20_000 }) }) },
);

function ruleTable(config: LimiterConfig): Map<string, Rule> {
  return new Map(LAYERS.flatMap((layer) => rulesOf(layer, config[layer])).map((r) => [r.id, r]));
}

describe('rate limiter invariant (fast-check, real SQLite file, restarts and ±1 h clock jumps)', () => {
  const tempDir = useTempDirs();

  it('every rule and key grants at most burst + rate × W in every window W of true time', () => {
    fc.assert(
      fc.property(configArb, fc.array(eventArb, { minLength: 1, maxLength: 150 }), (config, events) => {
        const path = join(tempDir(), 'huntaze.db');
        const sim = simClock();
        let db: Db = openDatabase(path);
        const open = () => {
          const limiter = new RateLimiter(db, sim.clock, config);
          return { limiter, save: transaction(db, (tx: Tx, grant: Grant) => limiter.persist(tx, grant)) };
        };
        let { limiter, save } = open();
        const rules = ruleTable(config);
        const longestInterval = Math.max(...[...rules.values()].map((r) => r.intervalMs));
        const grants = new Map<string, number[]>();
        // The documented exception: a restart whose wall clock moved forward since the last
        // persisted grant (beyond true time) may free up to one burst per rule.
        const skewedRestarts: number[] = [];
        let skewAtLastGrant = sim.wallSkew();
        try {
          for (const ev of events) {
            if (ev.kind === 'arrive') {
              sim.advance(ev.dt);
              const d = limiter.tryAcquire({ account: `a${ev.account}`, operator: `op${ev.operator}` });
              if (!d.allowed) {
                // Never locks: a refusal waits at most one interval of some rule, jumps and restarts included.
                expect(d.msBeforeNext).toBeGreaterThan(0);
                expect(d.msBeforeNext).toBeLessThanOrEqual(longestInterval);
                continue;
              }
              save(d.grant);
              skewAtLastGrant = sim.wallSkew();
              for (const s of d.grant.states) {
                const k = `${s.rule}\0${s.key}`;
                grants.set(k, [...(grants.get(k) ?? []), sim.true()]);
              }
            } else if (ev.kind === 'jump') {
              sim.jumpWall(ev.ms);
            } else {
              db.close();
              sim.advance(ev.downtime);
              sim.restartMonotonic();
              if (sim.wallSkew() > skewAtLastGrant) skewedRestarts.push(sim.true());
              db = openDatabase(path);
              ({ limiter, save } = open());
            }
          }
        } finally {
          db.close();
        }
        for (const [k, times] of grants) {
          const rule = rules.get(k.split('\0')[0]!)!;
          const extra = (from: number, to: number) => skewedRestarts.filter((r) => r >= from && r <= to).length;
          expect(firstViolation(times, rule.intervalMs, rule.burst, extra), `${k} with ${JSON.stringify(rule)}`).toBeNull();
        }
      }),
      { numRuns: 80 },
    );
  });

  it('a boundary burst a fixed-window counter lets through twice over is held to burst + rate × W', () => {
    // 10 a minute, burst 10: 10 sends just before a minute boundary and 10 just after it.
    const arrivals = [...Array<number>(10).fill(59_900), ...Array<number>(10).fill(60_000)];
    const fixedWindow: number[] = [];
    const counts = new Map<number, number>();
    for (const t of arrivals) {
      const window = Math.floor(t / 60_000);
      if ((counts.get(window) ?? 0) < 10) {
        counts.set(window, (counts.get(window) ?? 0) + 1);
        fixedWindow.push(t);
      }
    }
    expect(fixedWindow).toHaveLength(20);
    // All 20 fall in one 100 ms window, where burst + rate × W allows 10.
    expect(fixedWindow.every((t) => t >= 59_900 && t <= 60_000)).toBe(true);
    expect(allowedInWindow({ intervalMs: 6000, burst: 10 }, 100)).toBe(10);
    expect(firstViolation(fixedWindow, 6000, 10)).not.toBeNull();

    const db = openDatabase(join(tempDir(), 'huntaze.db'));
    try {
      const sim = simClock(Date.UTC(2026, 10, 26, 12, 0, 0));
      const loose = { perMinute: 6000, burst: 100 };
      const limiter = new RateLimiter(db, sim.clock, { account: { perMinute: 10, burst: 10 }, operator: loose, global: loose });
      const ours: number[] = [];
      for (const t of arrivals) {
        sim.advance(t - sim.true());
        if (limiter.tryAcquire({ account: 'a', operator: 'op' }).allowed) ours.push(t);
      }
      expect(ours).toHaveLength(10);
      expect(firstViolation(ours, 6000, 10)).toBeNull();
    } finally {
      db.close();
    }
  });
});

// An account at burst 1, as the queue runs it (one send in flight per account); the shared
// layers random, since they only ever delay a grant further.
const burstOneConfigArb: fc.Arbitrary<LimiterConfig> = configArb.map((c) => ({ ...c, account: { ...c.account, burst: 1 } }));
const sendArb = fc.record({
  dt: fc.integer({ min: 0, max: 8000 }),
  account: fc.integer({ min: 0, max: 2 }),
  operator: fc.integer({ min: 0, max: 1 }),
  /** Grant to arrival: a stalled process or a slow hop, often far longer than the interval. */
  toArrival: fc.integer({ min: 0, max: 30_000 }),
  /** Arrival to the reply being seen. */
  toReply: fc.integer({ min: 0, max: 5000 }),
});

describe('rate limiter re-anchoring at the reply (arrivals, not grants, are spaced)', () => {
  const tempDir = useTempDirs();
  const keysOf = (account: number, operator: number) => ({ account: `acct-${account}`, operator: `op-${operator}` });

  it('a send answered late pushes the next grant of its account to reply + T, and no other layer or account moves', () => {
    const db = openDatabase(join(tempDir(), 'huntaze.db'));
    try {
      const sim = simClock();
      const loose = { perMinute: 600, burst: 1 };
      const limiter = new RateLimiter(db, sim.clock, { account: { perMinute: 600, burst: 1 }, operator: loose, global: loose });
      const first = limiter.tryAcquire({ account: 'a', operator: 'op' });
      if (!first.allowed) throw new Error('the first send must pass');
      sim.advance(1000);
      // Without re-anchoring the grant's TAT (100) has long passed: the next send would go at once.
      expect(limiter.peek({ account: 'a', operator: 'op' }).msBeforeNext).toBe(0);
      limiter.reanchor(first.grant);
      expect(limiter.peek({ account: 'a', operator: 'op' })).toEqual({ msBeforeNext: 100, layer: 'account' });
      // The operator and global layers stay as granted: another account of the operator is free.
      expect(limiter.tryAcquire({ account: 'b', operator: 'op' }).allowed).toBe(true);
      sim.advance(100);
      expect(limiter.tryAcquire({ account: 'a', operator: 'op' }).allowed).toBe(true);
    } finally {
      db.close();
    }
  });

  it('never frees anything, and consecutive arrivals of an account are ≥ every account interval apart whatever the delays', () => {
    fc.assert(
      fc.property(burstOneConfigArb, fc.array(sendArb, { minLength: 1, maxLength: 60 }), (config, sends) => {
        const db = openDatabase(join(tempDir(), 'huntaze.db'));
        try {
          const sim = simClock();
          const limiter = new RateLimiter(db, sim.clock, config);
          const spacing = Math.max(...rulesOf('account', config.account).map((r) => r.intervalMs));
          const inFlight = new Map<number, { grant: Grant; reply: number }>();
          const arrivals = new Map<number, number[]>();
          const peeks = () => [0, 1, 2].flatMap((a) => [0, 1].map((o) => limiter.peek(keysOf(a, o)).msBeforeNext));
          const settleUntil = (t: number) => {
            for (;;) {
              const due = [...inFlight.entries()].filter(([, f]) => f.reply <= t).sort((x, y) => x[1].reply - y[1].reply)[0];
              if (!due) break;
              sim.advance(due[1].reply - sim.true());
              const before = peeks();
              limiter.reanchor(due[1].grant);
              const after = peeks();
              after.forEach((ms, i) => {
                // Stricter or the same for its own account; exactly the same for every other account.
                if (Math.floor(i / 2) === due[0]) expect(ms).toBeGreaterThanOrEqual(before[i]!);
                else expect(ms).toBe(before[i]);
              });
              inFlight.delete(due[0]);
            }
            sim.advance(t - sim.true());
          };
          for (const s of sends) {
            settleUntil(sim.true() + s.dt);
            if (inFlight.has(s.account)) continue;
            const d = limiter.tryAcquire(keysOf(s.account, s.operator));
            if (!d.allowed) continue;
            const arrival = sim.true() + s.toArrival;
            arrivals.set(s.account, [...(arrivals.get(s.account) ?? []), arrival]);
            inFlight.set(s.account, { grant: d.grant, reply: arrival + s.toReply });
          }
          for (const times of arrivals.values()) {
            for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(spacing);
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
