import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../main/aws/keys';
import { teamAlertId } from '../../../main/aws/team-alerts';
import type { BudgetThreshold } from '../../../shared/budgets';
import { threshold } from '../../support/budgets';
import { useDynalite } from '../../support/dynalite';
import { useFauxqs } from '../../support/fauxqs';
import { aggregate, connected, type Seat, useTeamSeats } from '../../support/team-seats';

const DAY = '2026-11-26';
const alertsTable = 'huntaze-cost-alerts';

async function setBudgets(seat: Seat, thresholds: BudgetThreshold[]) {
  const conn = await connected(seat);
  const { version } = await seat.budgets.refresh(conn);
  const r = await seat.budgets.save(conn, { thresholds }, version);
  if (!('saved' in r)) throw new Error('unexpected conflict');
}

async function claimItem(seat: Seat, id: string) {
  const conn = await connected(seat);
  const { Item } = await conn.dynamo.send(new GetItemCommand({ TableName: alertsTable, Key: marshall(keys.alert('2026-11', id)), ConsistentRead: true }));
  return Item ? unmarshall(Item) : undefined;
}

describe('team budgets: one alert per team (dynalite + fauxqs on loopback, the real SDKs)', () => {
  const dynalite = useDynalite();
  const fauxqs = useFauxqs();
  const team = useTeamSeats();

  it('two seats cross a team threshold together, in many orders: exactly one SNS message lands, both seats show the alert', async () => {
    const t = await team((await dynalite()).endpoint, (await fauxqs()).endpoint);
    const a = await t.seat();
    const b = await t.seat();
    // Each seat spent $3 and synced it; each then spends $3 more that is not synced yet.
    await t.put(aggregate(a.seatId, 'day', 3_000_000));
    await t.put(aggregate(b.seatId, 'day', 3_000_000));
    await a.spend(6_000_000);
    await b.spend(6_000_000);
    // Each seat sees 6 (its own ledger) + 3 (the other's synced) = $9 of a $10 budget: over 80 %.
    const orders: ((x: Seat, y: Seat) => Promise<unknown>)[] = [
      (x, y) => Promise.all([x.alerts.evaluate(), y.alerts.evaluate()]),
      (x, y) => Promise.all([y.alerts.evaluate(), x.alerts.evaluate()]),
      async (x, y) => [await x.alerts.evaluate(), await y.alerts.evaluate()],
      async (x, y) => [await y.alerts.evaluate(), await x.alerts.evaluate()],
      (x, y) => Promise.all([x.alerts.evaluate(), y.alerts.evaluate(), x.alerts.evaluate(), y.alerts.evaluate()]),
    ];
    for (const [round, order] of orders.entries()) {
      const budget = threshold({ id: `round-${round}`, amountMicros: 10_000_000, levels: [80] });
      await setBudgets(round % 2 ? a : b, [budget]);
      await order(a, b);
      const id = teamAlertId(budget, DAY, 80);
      // Both relays run to the end: every message either seat enqueued is published by now.
      const relayed = [await a.rig.relay.runOnce(), await b.rig.relay.runOnce()];
      expect(relayed.reduce((n, r) => n + r.delivered, 0), `round ${round}`).toBe(1);
      const messages = await t.landed(1);
      expect(messages, `round ${round}`).toHaveLength(1);
      expect(messages[0]!.Message).toContain(`/alerts/${id}`);
      expect(messages[0]!.Message).toContain('$9.00');
      const [ha, hb] = [a.history()[id], b.history()[id]];
      // Both show it; exactly one enqueued the channel message, the one whose claim stands.
      expect([ha, hb].sort(), `round ${round}`).toEqual([[], ['sns']]);
      expect(await claimItem(a, id)).toMatchObject({ enqueued: true, firedBy: ha!.length ? a.seatId : b.seatId });
    }
  });

  it('counts a seat’s own unsynced spend once: its synced aggregate is never added to its ledger', async () => {
    const t = await team((await dynalite()).endpoint, (await fauxqs()).endpoint);
    const a = await t.seat();
    await t.put(aggregate(a.seatId, 'month', 3_000_000));
    await t.put(aggregate('another-seat', 'month', 1_000_000, { provider: 'openai' }));
    await a.spend(3_000_000);
    await a.spend(2_000_000);
    // Ledger 5 + the other seat's 1 = $6. Counting its own synced 3 again would make $9 and cross 90 %.
    await setBudgets(a, [threshold({ id: 'm', period: 'month', amountMicros: 10_000_000, levels: [60, 90] })]);
    expect(await a.alerts.evaluate()).toMatchObject({ status: 'ok', fired: [teamAlertId(threshold({ id: 'm' }), '2026-11', 60)] });
    expect(Object.keys(a.history())).toEqual(['team-m.2026-11.60']);
    expect((await a.rig.relay.runOnce()).delivered).toBe(1);
    const [message] = await t.landed(1);
    expect(message!.Message).toContain('$6.00');
    // The provider budget sees only that provider's spend from every seat.
    await setBudgets(a, [threshold({ id: 'p', scope: 'provider', target: 'openai', period: 'month', amountMicros: 2_000_000, levels: [50, 100] })]);
    expect((await a.alerts.evaluate()).fired).toEqual(['team-p.2026-11.50']);
  });

  it('offline, evaluates nothing and keeps the cached budgets; back online, the level fires once', async () => {
    const d = await dynalite();
    const t = await team(d.endpoint, (await fauxqs()).endpoint);
    // An address where DynamoDB stopped answering (dynalite forgets its tables when stopped, so the team's own stays up).
    const gone = await dynalite();
    await gone.stop();
    const a = await t.seat();
    const budget = threshold({ id: 'off', amountMicros: 1_000_000, levels: [100] });
    await setBudgets(a, [budget]);
    await a.spend(1_500_000);
    const settings = a.aws.store.get();
    a.aws.store.set({ ...settings, endpoint: gone.endpoint });
    expect(await a.alerts.evaluate()).toEqual({ status: 'offline', fired: [], recorded: [], resumed: [] });
    expect(a.budgets.cached().model.thresholds).toEqual([budget]);
    expect(a.history()).toEqual({});
    a.aws.store.set(settings);
    expect((await a.alerts.evaluate()).fired).toEqual([teamAlertId(budget, DAY, 100)]);
    expect(await a.alerts.evaluate()).toEqual({ status: 'ok', fired: [], recorded: [], resumed: [] });
    expect((await a.rig.relay.runOnce()).delivered).toBe(1);
    expect(await t.landed(1)).toHaveLength(1);
  });

  it('a seat that crashed between its claim and its enqueue sends it at its next pass; the other seat only records it', async () => {
    const t = await team((await dynalite()).endpoint, (await fauxqs()).endpoint);
    const a = await t.seat();
    const b = await t.seat();
    const budget = threshold({ id: 'crash', amountMicros: 1_000_000, levels: [50] });
    await setBudgets(a, [budget]);
    const id = teamAlertId(budget, DAY, 50);
    const message = { id, level: 'info', kind: 'threshold', threshold: { scope: 'global', target: null, label: null, percent: 50 }, period: { unit: 'day', key: DAY, label: 'Thursday, November 26, 2026' }, amountMicros: 600_000, budgetMicros: 1_000_000, firedAt: 1, path: `/alerts/${id}` };
    // What A's put left when the process died before its local transaction.
    await t.put({ ...keys.alert('2026-11', id), firedBy: a.seatId, enqueued: false, message: JSON.stringify(message), firedAt: 1 }, alertsTable);
    await b.spend(600_000);
    expect(await b.alerts.evaluate()).toMatchObject({ fired: [], recorded: [id] });
    expect(b.history()).toEqual({ [id]: [] });
    expect(await a.alerts.evaluate()).toMatchObject({ fired: [], resumed: [id] });
    expect(await claimItem(a, id)).toMatchObject({ enqueued: true });
    expect(await a.alerts.evaluate()).toMatchObject({ resumed: [] });
    expect((await a.rig.relay.runOnce()).delivered + (await b.rig.relay.runOnce()).delivered).toBe(1);
    expect(await t.landed(1)).toHaveLength(1);
  });

  it('budgets saved by two seats at once: one wins, the other is told with the winner’s model and saves on top; both edits remain', async () => {
    const t = await team((await dynalite()).endpoint, (await fauxqs()).endpoint);
    const a = await t.seat();
    const b = await t.seat();
    const [ca, cb] = [await connected(a), await connected(b)];
    const ta = threshold({ id: 'from-a' });
    const tb = threshold({ id: 'from-b', period: 'month' });
    const results = await Promise.all([a.budgets.save(ca, { thresholds: [ta] }, 0), b.budgets.save(cb, { thresholds: [tb] }, 0)]);
    const loser = results.findIndex((r) => 'conflict' in r);
    expect(results.filter((r) => 'saved' in r)).toHaveLength(1);
    const conflict = results[loser] as { conflict: { model: { thresholds: BudgetThreshold[] }; version: number } };
    expect(conflict.conflict.version).toBe(1);
    expect(conflict.conflict.model.thresholds).toEqual([loser === 0 ? tb : ta]);
    const [seat, conn, mine] = loser === 0 ? [a, ca, ta] : [b, cb, tb];
    expect(await seat.budgets.save(conn, { thresholds: [...conflict.conflict.model.thresholds, mine] }, 1)).toMatchObject({ saved: { version: 2 } });
    const other = loser === 0 ? b : a;
    expect((await other.budgets.refresh(await connected(other))).model.thresholds.map((x) => x.id).sort()).toEqual(['from-a', 'from-b']);
  });
});
