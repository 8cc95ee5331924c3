import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { TeamConnection } from '../../../main/aws/clients';
import { type SharedLimit, SharedRateBudget } from '../../../main/aws/rate-budget';
import { type Db, openDatabase } from '../../../main/db/open';
import { manualClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { useDynalite } from '../../support/dynalite';
import { ACCOUNT, connectionFor, createCostsTable, dynamoClient, simulateSeats } from '../../support/shared-limiter-sim';

const LIMIT: SharedLimit = { perMinute: 10, minSpacingMs: 3_000 };
const OPTIONS = { leaseSlots: 3, skewMs: 100, arrivalSlackMs: 100, lateMs: 50, sleep: async () => undefined };

/** Most grants in any half-open 60 s window. */
function busiestMinute(times: number[]): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) most = Math.max(most, times.filter((t) => t > times[i]! - 60_000 && t <= times[i]!).length);
  return most;
}

describe('one rate budget per creator account across seats (dynalite, the real SDK)', () => {
  const startDynalite = useDynalite();
  const dirs: string[] = [];
  const dbs: Db[] = [];
  const conns: TeamConnection[] = [];
  afterEach(() => {
    for (const c of conns.splice(0)) {
      c.dynamo.destroy();
      c.sns.destroy();
    }
    for (const db of dbs.splice(0)) db.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const seatDb = (dir: string, name: string) => {
    const db = openDatabase(join(dir, `${name}.db`));
    dbs.push(db);
    return db;
  };
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'huntaze-rate-budget-'));
    dirs.push(d);
    return d;
  };

  it('never lets seats together exceed the account’s limits at arrival, whatever the skews, delays and interleaving', async () => {
    const { endpoint } = await startDynalite();
    const admin = dynamoClient(endpoint);
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            // The extremes the budget is configured for are drawn often: a tight handover shows.
            skews: fc.array(fc.oneof(fc.constantFrom(-50, 50), fc.integer({ min: -50, max: 50 })), { minLength: 2, maxLength: 3 }),
            // 10/min (the window binds) and 20/min at 3 s (the min interval binds).
            limit: fc.constantFrom(LIMIT, { perMinute: 20, minSpacingMs: 3_000 }),
            leaseSlots: fc.integer({ min: 1, max: 4 }),
            extremes: fc.boolean(),
            // A seat held back by something else (its local limiter, a busy loop) acts long after its slot.
            stalls: fc.boolean(),
            seed: fc.integer({ min: 1, max: 2 ** 30 }),
          }),
          async ({ skews, limit, leaseSlots, extremes, stalls, seed }) => {
            const prefix = `prop${run++}`;
            await createCostsTable(admin, prefix);
            let x = seed;
            const rnd = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
            const result = await simulateSeats({
              endpoint,
              prefix,
              limit,
              durationMs: 150_000,
              skews,
              // Extremes: the first seat always as slow and late as allowed, the others instant.
              delay: (seat) => (extremes ? (seat === 0 ? 100 : 0) : Math.floor(rnd() * 101)),
              lateness: (seat) => (stalls && rnd() < 0.3 ? Math.floor(rnd() * 15_000) : extremes ? (seat === 0 ? 50 : 0) : Math.floor(rnd() * 51)),
              budget: { ...OPTIONS, leaseSlots, random: rnd },
            });
            expect(result.violations).toEqual([]);
            for (const n of result.perSeat) expect(n).toBeGreaterThan(0);
          },
        ),
        { numRuns: 25 },
      );
    } finally {
      admin.destroy();
    }
  });

  it('retries a lost conditional write: two seats asking together get disjoint leases, one after the other', async () => {
    const { endpoint } = await startDynalite();
    const dir = tempDir();
    const clock = manualClock();
    const a = connectionFor(endpoint, 'race', 'seat-a');
    const b = connectionFor(endpoint, 'race', 'seat-b');
    conns.push(a, b);
    await createCostsTable(a.dynamo, 'race');
    const seatA = new SharedRateBudget(async () => a, seatDb(dir, 'a'), clock, silentLogger, OPTIONS);
    const seatB = new SharedRateBudget(async () => b, seatDb(dir, 'b'), clock, silentLogger, OPTIONS);
    await Promise.all([seatA.refill(ACCOUNT, LIMIT), seatB.refill(ACCOUNT, LIMIT)]);
    expect(seatA.stats().conflicts + seatB.stats().conflicts).toBeGreaterThanOrEqual(1);
    expect(seatA.stats().leases + seatB.stats().leases).toBe(2);
    const [first, second] = seatA.check(ACCOUNT, LIMIT).allowed ? [seatA, seatB] : [seatB, seatA];
    expect(first.check(ACCOUNT, LIMIT)).toEqual({ allowed: true });
    // The loser's lease starts after the winner's 3 slots and the handover guard.
    const interval = first.interval(LIMIT);
    expect(second.check(ACCOUNT, LIMIT)).toEqual({ allowed: false, waitMs: 3 * interval + OPTIONS.skewMs + OPTIONS.lateMs + OPTIONS.arrivalSlackMs });
    expect(second.status(ACCOUNT)).toEqual({ mode: 'shared', seats: 2 });
  });

  it('falls back to ⌊limit / seats⌋ a minute when DynamoDB is unreachable, and stays there across a restart offline', async () => {
    const dynalite = await startDynalite();
    const dir = tempDir();
    const clock = manualClock();
    const a = connectionFor(dynalite.endpoint, 'off', 'seat-a');
    const b = connectionFor(dynalite.endpoint, 'off', 'seat-b');
    conns.push(a, b);
    await createCostsTable(a.dynamo, 'off');
    const dbA = seatDb(dir, 'a');
    const seatA = new SharedRateBudget(async () => a, dbA, clock, silentLogger, OPTIONS);
    await new SharedRateBudget(async () => b, seatDb(dir, 'b'), clock, silentLogger, OPTIONS).refill(ACCOUNT, LIMIT);
    await seatA.refill(ACCOUNT, LIMIT);
    await dynalite.stop();

    const drive = async (budget: SharedRateBudget, ms: number) => {
      const grants: number[] = [];
      for (let t = 0; t < ms; t += 100) {
        const d = budget.check(ACCOUNT, LIMIT);
        if (d.allowed) {
          budget.consume(ACCOUNT);
          grants.push(clock.now());
        } else if (d.waitMs === null) await budget.refill(ACCOUNT, LIMIT);
        clock.advance(100);
      }
      return grants;
    };
    const online = await drive(seatA, 40_000);
    expect(seatA.status(ACCOUNT)).toEqual({ mode: 'offline', seats: 2 });
    const offline = await drive(seatA, 180_000);
    expect(offline.length).toBeGreaterThan(0);
    // The lease in hand is spent first; after it, half the account's pace.
    expect(busiestMinute(offline)).toBeLessThanOrEqual(5);
    expect(busiestMinute([...online, ...offline].filter((t) => t > online.at(-1)!))).toBeLessThanOrEqual(5);

    // A restart while the team layer stays out of reach: the last seats seen are on file.
    const restarted = new SharedRateBudget(async () => ({ unavailable: 'disabled' as const }), dbA, clock, silentLogger, OPTIONS);
    expect(restarted.status(ACCOUNT)).toEqual({ mode: 'offline', seats: 2 });
    expect(busiestMinute(await drive(restarted, 180_000))).toBeLessThanOrEqual(5);

    // Never seen another seat, team layer off: no shared layer, every check passes.
    const alone = new SharedRateBudget(async () => ({ unavailable: 'disabled' as const }), seatDb(dir, 'alone'), clock, silentLogger, OPTIONS);
    await alone.refill(ACCOUNT, LIMIT);
    expect(alone.status(ACCOUNT)).toEqual({ mode: 'local' });
    expect(await drive(alone, 1_000)).toHaveLength(10);
  });
});
