import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { TeamConnection } from '../../../main/aws/clients';
import { keys } from '../../../main/aws/keys';
import { SharedSpendBudget } from '../../../main/aws/spend-budget';
import type { BudgetThreshold } from '../../../shared/budgets';
import { threshold } from '../../support/budgets';
import { useDynalite } from '../../support/dynalite';
import { useFauxqs } from '../../support/fauxqs';
import { connected, type Seat, useTeamSeats } from '../../support/team-seats';

const DAY = '2026-11-26';
const alertsTable = 'huntaze-cost-alerts';

async function setBudgets(seats: Seat[], thresholds: BudgetThreshold[]) {
  const conn = await connected(seats[0]!);
  const { version } = await seats[0]!.budgets.refresh(conn);
  const r = await seats[0]!.budgets.save(conn, { thresholds }, version);
  if (!('saved' in r)) throw new Error('unexpected conflict');
  for (const s of seats.slice(1)) await s.budgets.refresh(await connected(s));
}

/** A seat's real TeamAws connection, with every DynamoDB call counted and an optional gate before a PutItem. */
function spendBudget(seat: Seat, hooks: { calls?: string[]; beforePut?: () => Promise<void> } = {}) {
  const connect = async () => {
    const conn = await seat.aws.connect();
    if ('unavailable' in conn) return conn;
    const dynamo = new Proxy(conn.dynamo, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (command: { constructor: { name: string } }) => {
          hooks.calls?.push(command.constructor.name);
          if (command.constructor.name === 'PutItemCommand' && hooks.beforePut) await hooks.beforePut();
          return target.send(command as never);
        };
      },
    });
    return { ...conn, dynamo } as TeamConnection;
  };
  return new SharedSpendBudget({
    db: seat.rig.db,
    clock: seat.rig.clock,
    logger: seat.rig.logger,
    connect,
    thresholds: () => seat.budgets.cached().model.thresholds,
    ledger: seat.ledger,
    maxAttempts: 50,
    sleep: async () => undefined,
  });
}

/** One request through the same judgement as the orchestrator's: it goes when own spend + estimate fits the allowance. */
async function request(seat: Seat, budget: SharedSpendBudget, campaignId: string | undefined, estimate: number): Promise<boolean> {
  const stops = await budget.stops(campaignId, estimate);
  if (!stops.every((h) => h.spentMicros + estimate <= h.threshold.amountMicros)) return false;
  await seat.spend(estimate, { campaignId: campaignId ?? null });
  return true;
}

async function spendItem(seat: Seat, period: string, id: string) {
  const conn = await connected(seat);
  const { Item } = await conn.dynamo.send(new GetItemCommand({ TableName: alertsTable, Key: marshall(keys.spend(period, id)), ConsistentRead: true }));
  return Item ? (unmarshall(Item) as { grants: Record<string, number>; total: number; version: number; limitMicros: number }) : undefined;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('team AI spend cap, leased across seats (dynalite, the real SDK, real ledgers)', () => {
  const dynalite = useDynalite();
  const fauxqs = useFauxqs();
  const team = useTeamSeats();

  it('three seats spending together never pass the cap and reach ≥ 95 % of it, whatever the interleaving', async () => {
    const t = await team((await dynalite()).endpoint, (await fauxqs()).endpoint);
    const seats = [await t.seat(), await t.seat(), await t.seat()];
    const budgets = seats.map((s) => spendBudget(s));
    const limit = 1_000_000;
    const rounds = 6;
    await setBudgets(seats, Array.from({ length: rounds }, (_, r) => threshold({ id: `cap-${r}`, scope: 'campaign', target: `c${r}`, amountMicros: limit, hardStop: 'refuse' })));
    for (let round = 0; round < rounds; round++) {
      const campaign = `c${round}`;
      let x = round * 7_919 + 13;
      const rnd = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
      const spent = [0, 0, 0];
      const active = new Set([0, 1, 2]);
      let largest = 0;
      while (active.size > 0) {
        // A random subset of the seats still spending, at once (even rounds) or one by one (odd rounds).
        const batch = [...active].filter(() => rnd() < 0.7);
        const go = async (i: number) => {
          const estimate = 2_000 + Math.floor(rnd() * 8_001);
          largest = Math.max(largest, estimate);
          if (await request(seats[i]!, budgets[i]!, campaign, estimate)) spent[i]! += estimate;
          else active.delete(i);
        };
        if (round % 2 === 0) await Promise.all(batch.map(go));
        else for (const i of batch) await go(i);
      }
      const item = (await spendItem(seats[0]!, DAY, `cap-${round}`))!;
      // Costs equal to their estimates: the sum never passes the cap, and what stays unspent is under one request per seat.
      expect(sum(spent), `round ${round}`).toBeLessThanOrEqual(limit);
      expect(sum(spent), `round ${round}`).toBeGreaterThan(limit - 3 * largest);
      expect(sum(spent) / limit, `round ${round}`).toBeGreaterThanOrEqual(0.95);
      expect(item.total).toBe(sum(Object.values(item.grants)));
      expect(item.total).toBeLessThanOrEqual(limit);
      seats.forEach((s, i) => expect(spent[i]).toBeLessThanOrEqual(item.grants[s.seatId] ?? 0));
    }
  });

  it('two seats leasing from the same version: one wins, the other re-reads and leases on top; nothing is granted twice', async () => {
    const t = await team((await dynalite()).endpoint, (await fauxqs()).endpoint);
    const [a, b] = [await t.seat(), await t.seat()];
    await setBudgets([a, b], [threshold({ id: 'cap', amountMicros: 100_000, hardStop: 'refuse' })]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let readBoth!: () => void;
    const aRead = new Promise<void>((r) => (readBoth = r));
    let gated = true;
    const calls: string[] = [];
    // Seat A reads the (absent) item, then waits before its put while seat B leases from the same state.
    const budgetA = spendBudget(a, {
      calls,
      beforePut: async () => {
        if (!gated) return;
        gated = false;
        readBoth();
        await gate;
      },
    });
    const budgetB = spendBudget(b);
    const first = budgetA.stops(undefined, 1_000);
    await aRead;
    const [stopB] = await budgetB.stops(undefined, 1_000);
    release();
    const [stopA] = await first;
    expect(budgetA.stats()).toEqual({ reads: 2, leases: 1, conflicts: 1 });
    expect(calls).toEqual(['GetItemCommand', 'PutItemCommand', 'GetItemCommand', 'PutItemCommand']);
    // ⌈100 000 / 20⌉ each: the loser's grant is added on top of the winner's, not over it.
    expect(stopB!.threshold.amountMicros).toBe(5_000);
    expect(stopA!.threshold.amountMicros).toBe(5_000);
    const item = (await spendItem(a, DAY, 'cap'))!;
    expect(item.grants).toEqual({ [a.seatId]: 5_000, [b.seatId]: 5_000 });
    expect(item.total).toBe(10_000);
    expect(item.version).toBe(2);
  });

  it('asks DynamoDB nothing while the lease covers the request, nor for a team threshold without a hard stop', async () => {
    const t = await team((await dynalite()).endpoint, (await fauxqs()).endpoint);
    const a = await t.seat();
    await setBudgets([a], [threshold({ id: 'alert-only', hardStop: 'none' }), threshold({ id: 'cap', scope: 'campaign', target: 'c1', amountMicros: 100_000, hardStop: 'refuse' })]);
    const calls: string[] = [];
    const budget = spendBudget(a, { calls });
    // No campaign: only the alert-only threshold applies, and it binds nothing.
    expect(budget.binding(undefined)).toEqual([]);
    expect(await budget.stops(undefined, 1_000)).toEqual([]);
    expect(calls).toEqual([]);
    expect(budget.allowances()).toEqual([expect.objectContaining({ thresholdId: 'cap', mode: 'idle', grantMicros: 0 })]);
    expect(await request(a, budget, 'c1', 1_000)).toBe(true);
    expect(budget.allowances()).toEqual([expect.objectContaining({ thresholdId: 'cap', mode: 'shared', allowanceMicros: 5_000, leasedMicros: 5_000, spentMicros: 1_000 })]);
    expect(calls).toEqual(['GetItemCommand', 'PutItemCommand']);
    // The 5 000 leased covers four more requests of 1 000 from memory.
    for (let i = 0; i < 4; i++) expect(await request(a, budget, 'c1', 1_000)).toBe(true);
    expect(calls).toHaveLength(2);
    expect(await request(a, budget, 'c1', 1_000)).toBe(true);
    expect(calls).toHaveLength(4);
  });

  it('offline, a seat may spend its grant plus ⌊remaining / seats last seen⌋, and still after a restart', async () => {
    const d = await dynalite();
    const t = await team(d.endpoint, (await fauxqs()).endpoint);
    const seats = [await t.seat(), await t.seat(), await t.seat()];
    const limit = 90_001;
    await setBudgets(seats, [threshold({ id: 'cap', amountMicros: limit, hardStop: 'downgrade' })]);
    const budgets = seats.map((s) => spendBudget(s));
    // B and C lease first, so A's lease sees all three seats.
    expect(await request(seats[1]!, budgets[1]!, undefined, 20_000)).toBe(true);
    expect(await request(seats[2]!, budgets[2]!, undefined, 7_000)).toBe(true);
    expect(await request(seats[0]!, budgets[0]!, undefined, 1_000)).toBe(true);
    const item = (await spendItem(seats[0]!, DAY, 'cap'))!;
    const grantA = item.grants[seats[0]!.seatId]!;
    expect(grantA).toBe(4_501);
    expect(item.total).toBe(20_000 + 7_000 + 4_501);

    await d.stop();
    const share = Math.floor((limit - item.total) / 3);
    // Within its grant the seat asks nobody; beyond it the lease fails and the offline share applies.
    const [stop] = await budgets[0]!.stops(undefined, 10_000);
    expect(stop!.threshold.amountMicros).toBe(grantA + share);
    expect(stop!.spentMicros).toBe(1_000);
    expect(budgets[0]!.allowances()).toEqual([expect.objectContaining({ mode: 'offline', allowanceMicros: grantA + share, leasedMicros: item.total, seats: 3 })]);

    // A new instance on the same file (the app restarted, still offline): its grant is known at once, and beyond it the same share.
    const restarted = spendBudget(seats[0]!);
    expect(restarted.allowances()).toEqual([expect.objectContaining({ mode: 'shared', allowanceMicros: grantA })]);
    const [again] = await restarted.stops(undefined, 10_000);
    expect(restarted.allowances()).toEqual([expect.objectContaining({ mode: 'offline', allowanceMicros: grantA + share })]);
    expect(again!.threshold.amountMicros).toBe(grantA + share);
    // The next day nothing was leased yet: ⌊limit / seats last seen⌋.
    seats[0]!.rig.clock.advance(86_400_000);
    const [nextDay] = await spendBudget(seats[0]!).stops(undefined, 1_000);
    expect(nextDay!.threshold.amountMicros).toBe(Math.floor(limit / 3));

    // dynalite restarts empty (its store closes with the server): a missing table is one more error that never fails a request.
    await d.restart();
    seats[0]!.rig.clock.advance(60_000);
    const [afterRestart] = await restarted.stops(undefined, 1_000);
    expect(afterRestart!.threshold.amountMicros).toBe(Math.floor(limit / 3));
    expect(seats[0]!.rig.logger.lines.filter((l) => l.includes('team spend: DynamoDB unreachable')).length).toBeGreaterThanOrEqual(3);
  });
});
