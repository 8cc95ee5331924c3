/**
 * Team budget alerts: one per team however many seats cross a level together.
 *
 * Spend: the team's figure for a period is every OTHER seat's aggregate items (`AGG#…`, absolute
 * per seat, written by their sync) plus this seat's spend read from its own local rollups. The
 * local ledger always holds at least what this seat's aggregate says (the aggregate is computed
 * from it, up to `asOfSeq`), so this seat's own items are skipped, never added: its unsynced rows
 * count at once and its synced ones count once.
 *
 * Firing: a crossed level is claimed with a PutItem under `keys.alert(month, id)` and
 * `attribute_not_exists(pk)`; the id is deterministic (team budget × period × level). Only the
 * seat whose put succeeds records the alert and enqueues its channel messages in ONE local
 * transaction, then marks the item `enqueued`. A seat that loses the race reads the winner's
 * message and records it without channels (its history shows it, nothing is sent). A seat that
 * crashed between its put and its local transaction finds its own unmarked claim at the next
 * evaluation and enqueues it then (outbox keys are idempotent, so a second pass adds nothing).
 *
 * Guaranteed: at most one SNS (and Slack) message per team alert, because only the one claimant
 * enqueues and the outbox key is the alert id; at least one unless the claimant's data folder is
 * lost before it enqueued. Offline, nothing is claimed (a claim needs DynamoDB): the level fires
 * at the first evaluation that reaches the team, still once.
 */
import { z } from 'zod';
import { type AlertChannel, type AlertMessage, alertMessageSchema } from '../../shared/alerts';
import { alertLevelFor, type BudgetThreshold } from '../../shared/budgets';
import { alertMessages } from '../alerts/consumers';
import { dayKey, monthDays, monthKey, periodLabel, ScopeSpend } from '../budgets/spend';
import type { RollupSource } from '../budgets/evaluator';
import type { Db } from '../db/open';
import { transaction } from '../db/tx';
import type { Outbox } from '../outbox';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { aggregateItemSchema } from './items';
import type { TeamAwsUnavailable, TeamConnection } from './clients';
import { keys } from './keys';
import { isConditionFailed, type TeamBudgetStore } from './team-budgets';

export interface TeamAlertDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  connect: () => Promise<TeamConnection | { unavailable: TeamAwsUnavailable }>;
  budgets: TeamBudgetStore;
  /** The live ledger: its zone and its rollups (this seat's own spend). */
  ledger: RollupSource;
  channels: () => readonly AlertChannel[];
  /** An alert entered this seat's history (fired here or by another seat). */
  onRecorded?: (alert: AlertMessage, firedHere: boolean) => void;
}

export interface TeamEvaluation {
  status: 'ok' | 'offline' | TeamAwsUnavailable;
  /** Alerts this seat claimed (and enqueued) in this pass. */
  fired: string[];
  /** Alerts another seat had already claimed, recorded here without channels. */
  recorded: string[];
  /** Own claims from an earlier pass enqueued now (a crash between the put and the enqueue). */
  resumed: string[];
}

const claimSchema = z.object({ firedBy: z.string(), enqueued: z.boolean(), message: z.string() });

export const teamAlertId = (t: BudgetThreshold, periodKey: string, percent: number): string => `team-${t.id}.${periodKey}.${percent}`;

export class TeamAlerts {
  private readonly spend: ScopeSpend;
  private readonly insert;
  private readonly has;
  private readonly record;
  private running: Promise<TeamEvaluation> | null = null;
  private again = false;

  constructor(private readonly deps: TeamAlertDeps) {
    this.spend = new ScopeSpend(deps.db, () => deps.ledger.settle());
    this.insert = deps.db.prepare<[string, string, string, string, number, number, string, string]>(
      `INSERT INTO cost_alerts (id, threshold_id, kind, period_key, percent, fired_at, message, channels) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    this.has = deps.db.prepare<[string], number>('SELECT 1 FROM cost_alerts WHERE id = ?').pluck();
    this.record = transaction(deps.db, (tx, alert: AlertMessage, channels: readonly AlertChannel[]) => {
      const t = alert.threshold;
      const inserted = this.insert.run(alert.id, alert.id.split('.')[0]!, alert.kind, alert.period.key, t.percent, alert.firedAt, JSON.stringify(alert), JSON.stringify(channels));
      for (const m of alertMessages(alert, channels, 'live')) deps.outbox.enqueue(tx, m);
      return inserted.changes > 0;
    });
  }

  /**
   * One pass; calls during a pass are folded into one more pass after it (spend moved meanwhile),
   * so a seat never races itself.
   */
  evaluate(): Promise<TeamEvaluation> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<TeamEvaluation> => {
      let result: TeamEvaluation;
      do {
        this.again = false;
        result = await this.pass();
      } while (this.again);
      return result;
    };
    this.running = run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Resolves once no pass is running (for close). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private async pass(): Promise<TeamEvaluation> {
    const out: TeamEvaluation = { status: 'ok', fired: [], recorded: [], resumed: [] };
    try {
      const conn = await this.deps.connect();
      if ('unavailable' in conn) return { ...out, status: conn.unavailable };
      const cal = this.deps.ledger.calendar;
      const now = this.deps.clock.now();
      const day = cal.localDay(now);
      const month = cal.localMonth(now);
      await this.resume(conn, monthKey(month), out);
      const { model } = await this.deps.budgets.refresh(conn);
      if (model.thresholds.length === 0) return out;
      const teamSpend = { day: await this.others(conn, 'day', dayKey(day)), month: await this.others(conn, 'month', monthKey(month)) };
      const [from, to] = monthDays(month);
      for (const t of model.thresholds) {
        const periodKey = t.period === 'day' ? dayKey(day) : monthKey(month);
        const own = t.period === 'day' ? this.spend.sum(t, day, day + 1) : this.spend.sum(t, from, to);
        const spent = own + teamSpend[t.period].filter((a) => matches(t, a)).reduce((s, a) => s + a.costMicros, 0);
        for (const percent of t.levels) {
          // Integers only: spent × 100 ≥ amount × percent.
          if (spent * 100 < t.amountMicros * percent) break;
          const id = teamAlertId(t, periodKey, percent);
          if (this.has.get(id) !== undefined) continue;
          const alert = alertMessageSchema.parse({
            id,
            level: alertLevelFor(percent),
            kind: 'threshold',
            threshold: { scope: t.scope, target: t.target, label: null, percent },
            period: { unit: t.period, key: periodKey, label: periodLabel(t.period, t.period === 'day' ? day : month) },
            amountMicros: spent,
            budgetMicros: t.amountMicros,
            firedAt: now,
            path: `/alerts/${id}`,
          });
          await this.claim(conn, monthKey(month), alert, out);
        }
      }
    } catch (err) {
      this.deps.logger.warn('team budgets: evaluation stopped; the next pass goes on', { error: err instanceof Error ? err.name : String(err) });
      out.status = 'offline';
    }
    return out;
  }

  /** Every other seat's aggregate items of one period (this seat's own spend is read locally). */
  private async others(conn: TeamConnection, unit: 'day' | 'month', bucket: string) {
    const { QueryCommand } = await import('@aws-sdk/client-dynamodb');
    const { marshall, unmarshall } = await import('@aws-sdk/util-dynamodb');
    const items = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await conn.dynamo.send(
        new QueryCommand({
          TableName: conn.names.costsTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: marshall({ ':pk': keys.aggregatePk(unit, bucket) }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const raw of page.Items ?? []) {
        const item = aggregateItemSchema.parse(unmarshall(raw));
        if (item.seat !== conn.seatId) items.push(item);
      }
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start);
    return items;
  }

  private async claim(conn: TeamConnection, month: string, alert: AlertMessage, out: TeamEvaluation): Promise<void> {
    const { GetItemCommand, PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    const { marshall, unmarshall } = await import('@aws-sdk/util-dynamodb');
    const Key = keys.alert(month, alert.id);
    try {
      await conn.dynamo.send(
        new PutItemCommand({
          TableName: conn.names.alertsTable,
          Item: marshall({ ...Key, firedBy: conn.seatId, enqueued: false, message: JSON.stringify(alert), firedAt: alert.firedAt }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const { Item } = await conn.dynamo.send(new GetItemCommand({ TableName: conn.names.alertsTable, Key: marshall(Key), ConsistentRead: true }));
      const claim = claimSchema.parse(unmarshall(Item!));
      // The winner's message, as it was sent: every seat's history reads the same figures.
      const theirs = alertMessageSchema.parse(JSON.parse(claim.message));
      if (claim.firedBy === conn.seatId) return this.enqueue(conn, month, theirs, out.resumed);
      if (this.record(theirs, [])) {
        out.recorded.push(theirs.id);
        this.deps.onRecorded?.(theirs, false);
      }
      return;
    }
    await this.enqueue(conn, month, alert, out.fired);
  }

  /** This seat owns the claim: record + enqueue in one local transaction, then mark the item. */
  private async enqueue(conn: TeamConnection, month: string, alert: AlertMessage, into: string[]): Promise<void> {
    const { UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    const { marshall } = await import('@aws-sdk/util-dynamodb');
    if (this.has.get(alert.id) === undefined) {
      this.record(alert, this.deps.channels());
      into.push(alert.id);
      this.deps.onRecorded?.(alert, true);
    }
    await conn.dynamo.send(
      new UpdateItemCommand({
        TableName: conn.names.alertsTable,
        Key: marshall(keys.alert(month, alert.id)),
        UpdateExpression: 'SET enqueued = :t',
        ConditionExpression: 'firedBy = :me',
        ExpressionAttributeValues: marshall({ ':t': true, ':me': conn.seatId }),
      }),
    );
  }

  /** Own claims of this month not marked enqueued: a crash came between the put and the local transaction. */
  private async resume(conn: TeamConnection, month: string, out: TeamEvaluation): Promise<void> {
    const { QueryCommand } = await import('@aws-sdk/client-dynamodb');
    const { marshall, unmarshall } = await import('@aws-sdk/util-dynamodb');
    let start: Record<string, never> | undefined;
    do {
      const page = await conn.dynamo.send(
        new QueryCommand({
          TableName: conn.names.alertsTable,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'firedBy = :me AND enqueued = :f',
          ExpressionAttributeValues: marshall({ ':pk': keys.alert(month, '').pk, ':me': conn.seatId, ':f': false }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const raw of page.Items ?? []) {
        const claim = claimSchema.parse(unmarshall(raw));
        await this.enqueue(conn, month, alertMessageSchema.parse(JSON.parse(claim.message)), out.resumed);
      }
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start);
  }
}

function matches(t: BudgetThreshold, a: { provider: string; campaign: string }): boolean {
  if (t.scope === 'global') return true;
  if (t.scope === 'provider') return a.provider === t.target;
  return a.campaign === t.target;
}
