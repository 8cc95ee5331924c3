import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_NAMES } from '../../../main/alerts/channels';
import { TeamAws } from '../../../main/aws/clients';
import { seatAlertItemSchema } from '../../../main/aws/items';
import { TeamAwsStore } from '../../../main/aws/settings';
import { Budgets } from '../../../main/budgets/budgets';
import { Ledger } from '../../../main/ledger/ledger';
import { createOutbox, type OutboxRelay } from '../../../main/outbox';
import { manualClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { AlertSync, SEAT_ALERT_TOPIC } from '../../../main/sync';
import { teamAlertList } from '../../../main/aws/team-alert-list';
import { putItems } from '../../support/team-items';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_TEAM_AWS_SETTINGS } from '../../../shared/aws';
import { openBudgetRig, spendRow, threshold } from '../../support/budgets';
import { useDynalite } from '../../support/dynalite';
import { silentKeychain, useSecretStores } from '../../support/secrets';
import { createCostsTable, scanAll, SYNC_NOW, ZONE } from '../../support/sync';

const TABLE = 'agency-cost-alerts';
const KEYS = { id: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

describe('this seat’s budget alerts reach the team’s alerts table (dynalite, the real SDK, real SQLite files)', () => {
  const startDynalite = useDynalite();
  const stores = useSecretStores();
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A live seat: ledger, budgets (a day budget of $1 at 50/80/100 %), the alert sync on its own relay. */
  async function openSeat(endpoint: string, enabled = true) {
    const { store: secrets, db } = await stores.open(stores.tempDir(), { keychain: silentKeychain() });
    await secrets.set(SECRET_NAMES.accessKeyId, KEYS.id);
    await secrets.set(SECRET_NAMES.secretAccessKey, KEYS.secret);
    const clock = manualClock(SYNC_NOW);
    const outbox = createOutbox({ db, clock });
    const budgets = new Budgets({ db, clock, logger: silentLogger, outbox, profile: 'live', channels: () => ['os'] });
    const ledger = new Ledger(db, clock, outbox, { timeZone: ZONE, onRows: (rows) => budgets.evaluator.committed(rows) });
    budgets.attach(ledger);
    await ledger.rebuilt();
    budgets.setModel({ ...budgets.model(), thresholds: [threshold()] });
    const store = new TeamAwsStore(db, clock, silentLogger);
    store.set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled, region: 'eu-west-1', prefix: 'agency', endpoint });
    const aws = new TeamAws(store, secrets);
    const sync = new AlertSync({ db, connect: () => aws.connect(), operator: () => 'Maya', clock, writer: { sleep: async () => undefined } });
    const relay: OutboxRelay = outbox.relay([sync.consumer()], { random: () => 0.5 });
    cleanups.push(async () => {
      await relay.stop();
      aws.close();
      ledger.flush();
    });
    const spend = async (micros: number) => {
      const done = ledger.record(spendRow(clock.now(), micros));
      ledger.flush();
      await done;
    };
    const pending = () => db.prepare(`SELECT COUNT(*) FROM outbox WHERE topic = ? AND state = 'pending'`).pluck().get(SEAT_ALERT_TOPIC) as number;
    return { db, clock, budgets, store, aws, sync, relay, spend, pending };
  }

  const seatAlerts = async (endpoint: string) => (await scanAll(endpoint, TABLE)).map((i) => seatAlertItemSchema.parse(i)).sort((a, b) => a.sk.localeCompare(b.sk));

  it('each alert is put once under its seat key with its message, fired time, seat, operator and state; replayed 5 times, the same items', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint, TABLE);
    const seat = await openSeat(endpoint);
    await seat.spend(850_000);
    expect(seat.budgets.history().map((a) => a.id)).toHaveLength(2);
    expect(seat.sync.backlog().alerts).toBe(2);
    await seat.relay.runOnce();
    expect(seat.pending()).toBe(0);
    const items = await seatAlerts(endpoint);
    const seatId = items[0]!.seat;
    expect(items.map((i) => ({ pk: i.pk, sk: i.sk, operator: i.operator, firedAt: i.firedAt, acknowledgedAt: i.acknowledgedAt, percent: i.message.threshold.percent }))).toEqual([
      { pk: 'ALERTS#2026-11', sk: `SEAT#${seatId}#g-day.2026-11-26.50`, operator: 'Maya', firedAt: SYNC_NOW, acknowledgedAt: null, percent: 50 },
      { pk: 'ALERTS#2026-11', sk: `SEAT#${seatId}#g-day.2026-11-26.80`, operator: 'Maya', firedAt: SYNC_NOW, acknowledgedAt: null, percent: 80 },
    ]);
    expect(items[0]!.message).toEqual(JSON.parse(seat.db.prepare('SELECT message FROM cost_alerts WHERE id = ?').pluck().get(items[0]!.alertId) as string));

    for (let round = 0; round < 5; round++) {
      expect(seat.db.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = 0, delivered_at = NULL, attempts = 0 WHERE topic = ?`).run(SEAT_ALERT_TOPIC).changes).toBe(2);
      await seat.relay.runOnce();
      expect(await seatAlerts(endpoint)).toEqual(items);
    }
  });

  it('an acknowledged alert is pushed again with its acknowledgement', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint, TABLE);
    const seat = await openSeat(endpoint);
    await seat.spend(600_000);
    await seat.relay.runOnce();
    const [id] = seat.budgets.history().map((a) => a.id);
    seat.clock.advance(5 * 60_000);
    seat.budgets.acknowledge(id!);
    expect(seat.sync.backlog().alerts).toBe(1);
    await seat.relay.runOnce();
    const items = await seatAlerts(endpoint);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ alertId: id, firedAt: SYNC_NOW, acknowledgedAt: SYNC_NOW + 5 * 60_000 });
  });

  it('while the team layer is off the alerts wait (never dead), count in the backlog, and go once it is on', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint, TABLE);
    const seat = await openSeat(endpoint, false);
    await seat.spend(1_100_000);
    for (let pass = 0; pass < 12; pass++) {
      await seat.relay.runOnce();
      seat.clock.advance(61_000);
    }
    expect(seat.db.prepare(`SELECT COUNT(*) FROM outbox WHERE topic = ? AND state = 'dead'`).pluck().get(SEAT_ALERT_TOPIC)).toBe(0);
    expect(seat.sync.backlog().alerts).toBe(3);
    expect(await scanAll(endpoint, TABLE)).toEqual([]);

    seat.store.set({ ...seat.store.get(), enabled: true });
    seat.sync.now();
    await seat.relay.runOnce();
    expect(seat.sync.backlog()).toEqual({ alerts: 0, oldestAt: null });
    expect((await seatAlerts(endpoint)).map((i) => i.message.threshold.percent)).toEqual([100, 50, 80]);
  });

  it('the Sandbox profile’s alerts are never enqueued for the team', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huntaze-alert-sync-'));
    const clock = manualClock(SYNC_NOW);
    const rig = await openBudgetRig(dir, clock, ZONE, 'sandbox');
    cleanups.push(() => rig.close());
    rig.budgets.setModel({ ...rig.budgets.model(), thresholds: [threshold()] });
    await rig.write([spendRow(SYNC_NOW, 1_100_000)]);
    expect(rig.alertIds()).toHaveLength(3);
    rig.budgets.acknowledge(rig.alertIds()[0]!);
    expect(rig.db.prepare('SELECT COUNT(*) FROM outbox WHERE topic = ?').pluck().get(SEAT_ALERT_TOPIC)).toBe(0);
  });

  it('team.alerts lists the month’s alerts of every seat and the team’s claims, with seat and operator, in one read', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint, TABLE);
    await createCostsTable(endpoint, 'agency-ai-costs');
    const seat = await openSeat(endpoint);
    await seat.spend(600_000);
    seat.budgets.acknowledge(seat.budgets.history()[0]!.id);
    await seat.relay.runOnce();
    const mine = seat.budgets.history()[0]!;
    const dynamo = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: KEYS.id, secretAccessKey: KEYS.secret } });
    cleanups.push(() => dynamo.destroy());
    // Another seat's team claim as main/aws/team-alerts.ts puts it, its seat item, and one item no reader can use.
    const teamMessage = { ...mine, id: 'team-t1.2026-11.100', level: 'critical', threshold: { ...mine.threshold, percent: 100 }, firedAt: SYNC_NOW + 1 };
    delete (teamMessage as Record<string, unknown>).acknowledgedAt;
    delete (teamMessage as Record<string, unknown>).channels;
    await putItems(dynamo, TABLE, [
      { pk: 'ALERTS#2026-11', sk: teamMessage.id, firedBy: 'seat-b', enqueued: true, message: JSON.stringify(teamMessage), firedAt: SYNC_NOW + 1 },
      { pk: 'ALERTS#2026-11', sk: 'SEAT#x#broken', kind: 'seat' },
    ]);
    await putItems(dynamo, 'agency-ai-costs', [{ pk: 'SEAT', sk: 'seat-b', operator: 'Leo', lastSeenAt: SYNC_NOW }]);

    const list = await teamAlertList({ teamAws: seat.aws, sandboxMode: () => false, month: () => '2026-11' });
    expect(list).toMatchObject({ status: 'ok', month: '2026-11', skipped: 1 });
    expect(list.alerts.map((a) => ({ id: a.id, team: a.team, operator: a.operator, thisSeat: a.thisSeat, ack: a.acknowledgedAt }))).toEqual([
      { id: 'team-t1.2026-11.100', team: true, operator: 'Leo', thisSeat: false, ack: null },
      { id: mine.id, team: false, operator: 'Maya', thisSeat: true, ack: SYNC_NOW },
    ]);
    expect(await teamAlertList({ teamAws: seat.aws, sandboxMode: () => true, month: () => '2026-11' })).toEqual({ status: 'sandbox', month: '2026-11', alerts: [], skipped: 0 });
    seat.store.set({ ...seat.store.get(), enabled: false });
    expect((await teamAlertList({ teamAws: seat.aws, sandboxMode: () => false, month: () => '2026-11' })).status).toBe('disabled');
  });
});
