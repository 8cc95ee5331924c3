/**
 * The team's alerts of the month, for the Alerts page: one Query on `ALERTS#<month>` in the
 * alerts table (team claims and every seat's own alerts, see keys.ts) and one on `SEAT` for the
 * operators' names. Reads only. DynamoDB's answer is input like any other: an item that fails its
 * schema is skipped and counted. Never throws: the page shows why the team could not be read.
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { type AlertMessage, alertMessageSchema } from '../../shared/alerts';
import type { TeamAlertList, TeamAlertRow, teamAlertsMethods } from '../../shared/contract/team-alerts';
import type { HandlersFor } from '../ipc/registry';
import type { TeamAws } from './clients';
import { seatAlertItemSchema, seatItemSchema } from './items';
import { keys } from './keys';

export interface TeamAlertListDeps {
  teamAws: Pick<TeamAws, 'connect'>;
  sandboxMode: () => boolean;
  /** The agency's current month, `YYYY-MM` in its zone. */
  month: () => string;
}

const MAX_ALERTS = 100;

/** What a team claim holds (main/aws/team-alerts.ts puts it). */
const claimSchema = z.object({ pk: z.string(), sk: z.string(), firedBy: z.string(), message: z.string(), firedAt: z.number().int().nonnegative() });

type Item = Record<string, AttributeValue>;

async function queryAll(dynamo: DynamoDBClient, table: string, pk: string): Promise<Item[]> {
  const { QueryCommand } = await import('@aws-sdk/client-dynamodb');
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } }, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

function parseMessage(text: string): AlertMessage | null {
  try {
    const parsed = alertMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function teamAlertList(deps: TeamAlertListDeps): Promise<TeamAlertList> {
  const month = deps.month();
  const empty = (status: TeamAlertList['status']): TeamAlertList => ({ status, month, alerts: [], skipped: 0 });
  if (deps.sandboxMode()) return empty('sandbox');
  let conn;
  try {
    conn = await deps.teamAws.connect();
  } catch {
    return empty('offline');
  }
  if ('unavailable' in conn) return empty(conn.unavailable);
  let raw: Item[];
  let seats: Item[];
  try {
    // Operator names only dress the list (a seat alert carries its own): without the costs table the alerts still show.
    [raw, seats] = await Promise.all([queryAll(conn.dynamo, conn.names.alertsTable, keys.seatAlert(month, '', '').pk), queryAll(conn.dynamo, conn.names.costsTable, 'SEAT').catch(() => [])]);
  } catch (err) {
    return empty(err instanceof Error && err.name === 'ResourceNotFoundException' ? 'table_missing' : 'offline');
  }
  const { unmarshall } = await import('@aws-sdk/util-dynamodb');
  const operators = new Map<string, string>();
  for (const item of seats) {
    const seat = seatItemSchema.safeParse(unmarshall(item));
    if (seat.success) operators.set(seat.data.sk, seat.data.operator);
  }
  const rows: TeamAlertRow[] = [];
  let skipped = 0;
  const row = (m: AlertMessage, team: boolean, seat: string, operator: string | null, firedAt: number, acknowledgedAt: number | null): TeamAlertRow => ({
    id: m.id, level: m.level, kind: m.kind, team, percent: m.threshold.percent, periodLabel: m.period.label, amountMicros: m.amountMicros,
    budgetMicros: m.budgetMicros, firedAt, seat, operator, thisSeat: seat === conn.seatId, acknowledgedAt,
  });
  for (const item of raw) {
    const value = unmarshall(item);
    const own = seatAlertItemSchema.safeParse(value);
    if (own.success) {
      const a = own.data;
      rows.push(row(a.message, false, a.seat, a.operator || operators.get(a.seat) || null, a.firedAt, a.acknowledgedAt));
      continue;
    }
    const claim = claimSchema.safeParse(value);
    const message = claim.success ? parseMessage(claim.data.message) : null;
    if (!claim.success || !message) {
      skipped++;
      continue;
    }
    rows.push(row(message, true, claim.data.firedBy, operators.get(claim.data.firedBy) ?? null, claim.data.firedAt, null));
  }
  rows.sort((a, b) => b.firedAt - a.firedAt || a.id.localeCompare(b.id));
  return { status: 'ok', month, alerts: rows.slice(0, MAX_ALERTS), skipped };
}

export function teamAlertListHandlers(deps: TeamAlertListDeps): HandlersFor<typeof teamAlertsMethods> {
  return { 'team.alerts': () => teamAlertList(deps) };
}
