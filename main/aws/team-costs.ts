/**
 * The team view of AI spend: the sum, over every seat, of the absolute per-seat aggregates the
 * sync puts under `AGG#day#<day>` (main/aws/keys.ts). Reads only; each day of the range is one
 * Query on one pk (paginated), so the cost grows with the days and the seats, never with the
 * ledger. DynamoDB's answer is input like any other: an item that fails its schema is skipped
 * and counted, so one bad writer cannot take the page down.
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dayNumber, isoDay, type Measures } from '../../shared/costs';
import type { TeamCosts, TeamCostsInput, teamMethods } from '../../shared/contract/team';
import { AppError } from '../../shared/result';
import type { Db } from '../db/open';
import type { HandlersFor } from '../ipc/registry';
import type { TeamAws, TeamConnection } from './clients';
import { type AggregateItem, aggregateItemSchema, seatItemSchema } from './items';
import { keys } from './keys';

export interface TeamCostsOptions {
  /** Items per Query page; DynamoDB caps a page at 1 MB anyway, tests lower it to force pagination. */
  pageLimit?: number;
  /** Day pks queried at once: enough to hide latency, few enough not to trip on-demand throttling. */
  concurrency?: number;
}

export interface TeamCostsDeps {
  teamAws: Pick<TeamAws, 'connect'>;
  /** Sandbox data never meets the team's: the team view answers only while the live profile is active. */
  sandboxMode: () => boolean;
  /** The agency's zone, the same the seat view's days are counted in. */
  zone: () => string;
  /** Campaign names this seat knows (live profile); other seats' campaigns stay ids. */
  campaignNames: (ids: readonly string[]) => Map<string, string>;
  options?: TeamCostsOptions;
}

type Item = Record<string, AttributeValue>;

const zero = (): Measures => ({ micros: 0, requests: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 });

function add(into: Measures, item: AggregateItem): void {
  into.micros += item.costMicros;
  into.requests += item.requests;
  into.inputTokens += item.inputTokens;
  into.cachedInputTokens += item.cachedInputTokens;
  into.outputTokens += item.outputTokens;
}

function bump<K>(map: Map<K, Measures>, key: K, item: AggregateItem): void {
  let m = map.get(key);
  if (!m) map.set(key, (m = zero()));
  add(m, item);
}

const byMicros = (a: Measures, b: Measures) => b.micros - a.micros;

/** Maps an SDK failure to what the operator can act on; never the SDK's message, which may echo keys. */
function unreachable(err: unknown): AppError {
  const name = err instanceof Error ? err.name : 'Error';
  if (name === 'ResourceNotFoundException') return new AppError('unavailable', 'team_table_missing');
  // A refused or dropped connection names itself by its socket code (ECONNREFUSED), not its class.
  const code = (err as { code?: unknown }).code;
  return new AppError('unavailable', 'team_unreachable', { reason: typeof code === 'string' && /^[A-Z_]{3,40}$/.test(code) ? code : name });
}

async function connection(deps: TeamCostsDeps): Promise<TeamConnection> {
  if (deps.sandboxMode()) throw new AppError('forbidden', 'team_sandbox');
  let c: Awaited<ReturnType<TeamCostsDeps['teamAws']['connect']>>;
  try {
    c = await deps.teamAws.connect();
  } catch (err) {
    throw unreachable(err);
  }
  if ('dynamo' in c) return c;
  if (c.unavailable === 'disabled') throw new AppError('unavailable', 'team_off');
  if (c.unavailable === 'secrets_unreadable') throw new AppError('unavailable', 'secret_store_unavailable', { reason: 'unreadable' });
  throw new AppError('unavailable', 'team_not_configured');
}

/** Every item under one pk, following LastEvaluatedKey to the end. */
async function queryAll(dynamo: DynamoDBClient, table: string, pk: string, limit: number | undefined): Promise<Item[]> {
  const { QueryCommand } = await import('@aws-sdk/client-dynamodb');
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ExclusiveStartKey: start,
        Limit: limit,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function pooled<T, R>(inputs: readonly T[], width: number, run: (input: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      out[i] = await run(inputs[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, inputs.length)) }, worker));
  return out;
}

/** The team's totals, daily series and breakdowns for the agency's days `from`…`to`. */
export async function teamCosts(deps: TeamCostsDeps, input: TeamCostsInput): Promise<TeamCosts> {
  const conn = await connection(deps);
  const { unmarshall } = await import('@aws-sdk/util-dynamodb');
  const first = dayNumber(input.from);
  const days = Array.from({ length: dayNumber(input.to) - first + 1 }, (_, i) => isoDay(first + i));
  const table = conn.names.costsTable;
  const limit = deps.options?.pageLimit;
  let raw: { dayItems: Item[][]; seats: Item[] };
  try {
    const [dayItems, seats] = await Promise.all([
      pooled(days, deps.options?.concurrency ?? 4, (day) => queryAll(conn.dynamo, table, keys.aggregatePk('day', day), limit)),
      queryAll(conn.dynamo, table, keys.seat(conn.seatId).pk, limit),
    ]);
    raw = { dayItems, seats };
  } catch (err) {
    throw unreachable(err);
  }

  let skipped = 0;
  const operators = new Map<string, string>();
  for (const item of raw.seats) {
    const seat = seatItemSchema.safeParse(unmarshall(item));
    if (seat.success) operators.set(seat.data.sk, seat.data.operator);
    else skipped++;
  }

  const total = zero();
  const totals = days.map(() => 0);
  const series = new Map<string, number[]>();
  const providers = new Map<string, Measures>();
  const models = new Map<string, Measures & { provider: string; model: string }>();
  const campaigns = new Map<string, Measures>();
  const seats = new Map<string, Measures & { operator: string; updatedAt: number }>();
  raw.dayItems.forEach((items, i) => {
    for (const item of items) {
      const parsed = aggregateItemSchema.safeParse(unmarshall(item));
      // An item under a day pk that names another bucket is as wrong as a malformed one.
      if (!parsed.success || parsed.data.unit !== 'day' || parsed.data.bucket !== days[i]) {
        skipped++;
        continue;
      }
      const a = parsed.data;
      add(total, a);
      totals[i] = (totals[i] ?? 0) + a.costMicros;
      let line = series.get(a.provider);
      if (!line) series.set(a.provider, (line = days.map(() => 0)));
      line[i] = (line[i] ?? 0) + a.costMicros;
      bump(providers, a.provider, a);
      const modelKey = JSON.stringify([a.provider, a.model]);
      if (!models.has(modelKey)) models.set(modelKey, { ...zero(), provider: a.provider, model: a.model });
      add(models.get(modelKey)!, a);
      bump(campaigns, a.campaign, a);
      let s = seats.get(a.seat);
      if (!s) seats.set(a.seat, (s = { ...zero(), operator: a.operator, updatedAt: 0 }));
      add(s, a);
      s.updatedAt = Math.max(s.updatedAt, a.updatedAt);
    }
  });

  const campaignIds = [...campaigns.keys()].filter((c) => c !== '-');
  const names = campaignIds.length > 0 ? deps.campaignNames(campaignIds) : new Map<string, string>();
  const seatRows = [...seats].map(([seat, m]) => ({ ...m, seat, operator: operators.get(seat) || m.operator || seat, thisSeat: seat === conn.seatId }));
  return {
    zone: deps.zone(),
    from: input.from,
    to: input.to,
    days,
    totals,
    series: [...series].map(([provider, micros]) => ({ provider, micros })).sort((a, b) => a.provider.localeCompare(b.provider)),
    total,
    byProvider: [...providers].map(([provider, m]) => ({ ...m, provider })).sort(byMicros),
    byModel: [...models.values()].sort(byMicros),
    byCampaign: [...campaigns].map(([id, m]) => ({ ...m, campaign: id === '-' ? null : id, name: id === '-' ? null : (names.get(id) ?? null) })).sort(byMicros),
    bySeat: seatRows.sort(byMicros),
    asOf: seatRows.length > 0 ? Math.min(...seatRows.map((s) => s.updatedAt)) : null,
    skipped,
  };
}

export function teamHandlers(deps: TeamCostsDeps): HandlersFor<typeof teamMethods> {
  return { 'team.costs': (input) => teamCosts(deps, input) };
}

/** The live file's campaign names: the only profile whose campaigns can have synced spend. */
export function localCampaignNames(db: Db): (ids: readonly string[]) => Map<string, string> {
  return (ids) =>
    new Map(
      db
        .prepare<[string], { id: string; name: string }>('SELECT id, name FROM campaigns WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(ids))
        .map((r) => [r.id, r.name]),
    );
}
