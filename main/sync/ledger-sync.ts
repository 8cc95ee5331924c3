import type { SyncStatus } from '../../shared/contract/sync';
import { isoDay } from '../../shared/costs';
import type { TeamAwsUnavailable, TeamConnection } from '../aws/clients';
import { type AggregateItem, type LedgerRow, type LedgerRowsItem, ROWS_PER_ITEM, type SeatItem } from '../aws/items';
import { keys } from '../aws/keys';
import { type LocalCalendar, monthOfDay } from '../costs/localtime';
import type { Db } from '../db/open';
import { AI_COST_TOPIC, type AiCostPayload, aiCostPayloadSchema } from '../ledger/ledger';
import { idFromDb, type StoredId } from '../ledger/ids';
import { defineConsumer, delivered, type OutboxConsumer, type OutboxItem } from '../outbox';
import { redactError } from '../outbox/backoff';
import type { Clock } from '../ports/clock';
import { type Logger, silentLogger } from '../ports/logger';
import { SYNC_BACKOFF, WAIT_MS, WaitingRows } from './waiting';
import { BatchWriter, classifyAwsError, type SyncFailure, type WriterOptions } from './writer';

export interface LedgerSyncDeps {
  /** The LIVE profile's database: the Sandbox's ledger never reaches the team. */
  db: Db;
  /** The live ledger: its calendar buckets the rows, `settle` brings its rollups up to date. */
  ledger: () => { calendar: LocalCalendar; settle(): void };
  connect: () => Promise<TeamConnection | { unavailable: TeamAwsUnavailable }>;
  enabled: () => boolean;
  operator: () => string;
  clock: Clock;
  logger?: Logger;
  writer?: WriterOptions;
  /** Ledger rows read (and held) at a time: the memory bound of a pass, whatever the backlog. */
  readChunk?: number;
  /** Something in the status moved; the caller throttles what it announces. */
  onChanged?: () => void;
  /** `sync.now` made waiting rows due: the relay should look now. */
  wake?: () => void;
  /** Other things this sync carries (the seat's alerts): they count in the backlog and its lag. */
  alsoWaiting?: () => { alerts: number; oldestAt: number | null };
}

interface CostDbRow {
  seq: number;
  id: StoredId;
  request_id: StoredId;
  attempt: number;
  ts: number;
  provider: string;
  deployment: string;
  base_model: string;
  purpose: string;
  campaign_id: string | null;
  operator_id: string | null;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  status: string;
  price_source: string;
}

interface SumRow {
  provider: string;
  model: string;
  campaign_id: string;
  requests: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cost_micros: number;
}

const READ_CHUNK = 2_000;

const monthKey = (month: number) => `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`;

/**
 * Pushes the live ledger to the team table. Each `ai_cost` outbox row names a range of
 * `ai_costs.seq`; the rows are put under their deterministic keys, then this seat's absolute
 * aggregates for every day and month the batch touched are recomputed from the local rollups
 * (exact in the ledger's zone once settled) and put whole. Nothing is ever added to a figure
 * in DynamoDB, so a replay, a retried group or a row sent twice leaves the team totals alone.
 */
export class LedgerSync {
  private readonly writer: BatchWriter;
  private readonly logger: Logger;
  private readonly readChunk: number;
  private readonly stmt;
  private state: 'idle' | 'syncing' | 'offline' | 'error' = 'idle';
  private lastError: SyncStatus['lastError'] = null;
  private lastSyncAt: number | null = null;
  private syncedRows = 0;
  private readonly waiting: WaitingRows;

  constructor(private readonly deps: LedgerSyncDeps) {
    this.writer = new BatchWriter(deps.writer);
    this.logger = deps.logger ?? silentLogger;
    this.readChunk = deps.readChunk ?? READ_CHUNK;
    const { db } = deps;
    this.waiting = new WaitingRows(db, AI_COST_TOPIC, deps.clock, deps.wake);
    this.stmt = {
      block: db.prepare<[number, number], CostDbRow>(
        `SELECT seq, id, request_id, attempt, ts, provider, deployment, base_model, purpose, campaign_id, operator_id,
           input_tokens, cached_input_tokens, output_tokens, cost_micros, status, price_source
         FROM ai_costs WHERE seq >= ? AND seq < ? ORDER BY seq`,
      ),
      day: db.prepare<[number], SumRow>(
        `SELECT provider, model, campaign_id, requests, input_tokens, cached_input_tokens, output_tokens, cost_micros
         FROM cost_day_campaign WHERE day = ?`,
      ),
      month: db.prepare<[number], SumRow>(
        `SELECT provider, model, campaign_id, SUM(requests) AS requests, SUM(input_tokens) AS input_tokens,
           SUM(cached_input_tokens) AS cached_input_tokens, SUM(output_tokens) AS output_tokens, SUM(cost_micros) AS cost_micros
         FROM cost_month_all WHERE month = ? GROUP BY provider, model, campaign_id`,
      ),
      maxSeq: db.prepare<[], number | null>('SELECT MAX(seq) FROM ai_costs').pluck(),
      backlog: db.prepare<[string], number>(
        `SELECT COUNT(*) FROM outbox o JOIN ai_costs c ON c.seq BETWEEN o.payload ->> '$.fromSeq' AND o.payload ->> '$.toSeq'
         WHERE o.topic = ? AND o.state = 'pending'`,
      ).pluck(),
    };
  }

  /** The `ai_cost` consumer; register it for the live profile only. */
  consumer(): OutboxConsumer<AiCostPayload> {
    return defineConsumer({
      topic: AI_COST_TOPIC,
      schema: aiCostPayloadSchema,
      batchSize: 50,
      // Never reached: waiting rows keep their attempts low (waiting.ts).
      maxAttempts: 1_000,
      leaseMs: 5 * 60_000,
      backoff: SYNC_BACKOFF,
      deliver: (items, { signal }) => this.deliver(items, signal),
      settled: () => this.waiting.settled(),
    });
  }

  status(): SyncStatus {
    const now = this.deps.clock.now();
    const rowsOldest = this.waiting.oldestAt();
    const also = this.deps.alsoWaiting?.() ?? { alerts: 0, oldestAt: null };
    const oldest = rowsOldest === null ? also.oldestAt : also.oldestAt === null ? rowsOldest : Math.min(rowsOldest, also.oldestAt);
    const enabled = this.deps.enabled();
    return {
      state: enabled ? this.state : 'off',
      lastSyncAt: this.lastSyncAt,
      backlogRows: this.stmt.backlog.get(AI_COST_TOPIC) ?? 0,
      oldestPendingAgeMs: oldest === null ? null : Math.max(0, now - oldest),
      lastError: enabled ? this.lastError : null,
      syncedRows: this.syncedRows,
      backlogAlerts: also.alerts,
    };
  }

  /** Every waiting range falls due now, and the relay is woken. */
  now(): SyncStatus {
    this.waiting.now();
    return this.status();
  }

  deliver(items: readonly OutboxItem<AiCostPayload>[], signal?: AbortSignal) {
    return this.waiting.during(() => this.deliverNow(items, signal));
  }

  private async deliverNow(items: readonly OutboxItem<AiCostPayload>[], signal?: AbortSignal) {
    const connection = await this.deps.connect();
    if ('unavailable' in connection) {
      this.set('idle', connection.unavailable === 'disabled' ? null : connection.unavailable);
      return this.waiting.wait(items, `team layer unavailable: ${connection.unavailable}`, WAIT_MS);
    }
    this.set('syncing', null);
    try {
      const synced = await this.push(connection, items, signal);
      this.syncedRows += synced;
      this.lastSyncAt = this.deps.clock.now();
      this.set('idle', null);
      return items.map(() => delivered);
    } catch (err) {
      const error = classifyAwsError(err);
      this.logger.warn('sync: pass failed, the rows wait', { code: error.code, error: redactError(error.message) });
      this.set(error.code === 'offline' ? 'offline' : error.code === 'throttled' ? 'syncing' : 'error', error.code);
      return this.waiting.wait(items, `${error.code}: ${error.message}`, error.retryable ? undefined : WAIT_MS);
    }
  }

  private async push(connection: TeamConnection, items: readonly OutboxItem<AiCostPayload>[], signal?: AbortSignal): Promise<number> {
    const { seatId, names } = connection;
    const operator = this.deps.operator();
    const days = new Set<number>();
    let count = 0;
    // Whole blocks, flushed once about a read chunk's worth of rows is held: the memory bound of a pass.
    let pending: LedgerRowsItem[] = [];
    let held = 0;
    const written = new Set<number>();
    const flush = async () => {
      if (pending.length > 0) await this.writer.putAll(connection.dynamo, names.costsTable, pending, signal);
      pending = [];
      held = 0;
    };
    for (const { payload } of items) {
      for (let block = Math.floor(payload.fromSeq / ROWS_PER_ITEM); block <= Math.floor(payload.toSeq / ROWS_PER_ITEM); block++) {
        const rows = this.stmt.block.all(block * ROWS_PER_ITEM, (block + 1) * ROWS_PER_ITEM);
        count += rows.filter((r) => r.seq >= payload.fromSeq && r.seq <= payload.toSeq).length;
        // Two ranges of one pass may share a block: it is written once (a batch refuses a key twice).
        if (written.has(block)) continue;
        written.add(block);
        pending.push(...this.blockItems(block, rows, seatId, operator, days));
        held += rows.length;
        if (held >= this.readChunk) await flush();
      }
    }
    await flush();
    const aggregates = this.aggregates(days, seatId, operator);
    const seat: SeatItem = { pk: 'SEAT', sk: keys.seat(seatId).sk, operator, lastSeenAt: this.deps.clock.now() };
    await this.writer.putAll(connection.dynamo, names.costsTable, [...aggregates, seat], signal);
    return count;
  }

  /**
   * A block's items, one per local day, from every row the ledger holds in it (rows outside the
   * range being synced included): a block is always written whole, so a replay or a later range
   * rewrites the same item, never a part of it.
   */
  private blockItems(block: number, rows: readonly CostDbRow[], seat: string, operator: string, days: Set<number>): LedgerRowsItem[] {
    const calendar = this.deps.ledger().calendar;
    const byDay = new Map<number, LedgerRow[]>();
    for (const r of rows) {
      const day = calendar.localDay(r.ts);
      days.add(day);
      const list = byDay.get(day) ?? [];
      list.push(ledgerRow(r, operator));
      byDay.set(day, list);
    }
    return [...byDay].map(([day, list]) => ({ ...keys.rows(isoDay(day), seat, block), seat, day: isoDay(day), block, rows: list }));
  }

  /** This seat's whole totals for the touched days and their months, read in one snapshot. */
  private aggregates(days: ReadonlySet<number>, seat: string, operator: string): AggregateItem[] {
    this.deps.ledger().settle();
    const updatedAt = this.deps.clock.now();
    return this.deps.db.transaction(() => {
      const asOfSeq = this.stmt.maxSeq.get() ?? 0;
      const out: AggregateItem[] = [];
      const add = (unit: 'day' | 'month', bucket: string, sums: SumRow[]) => {
        for (const s of sums) {
          const campaign = s.campaign_id === '' ? null : s.campaign_id;
          out.push({
            ...keys.aggregate(unit, bucket, seat, s.provider, s.model, campaign),
            seat,
            operator,
            unit,
            bucket,
            provider: s.provider,
            model: s.model,
            campaign: campaign ?? '-',
            requests: s.requests,
            inputTokens: s.input_tokens,
            cachedInputTokens: s.cached_input_tokens,
            outputTokens: s.output_tokens,
            costMicros: s.cost_micros,
            asOfSeq,
            updatedAt,
          });
        }
      };
      const months = new Set<number>();
      for (const day of days) {
        add('day', isoDay(day), this.stmt.day.all(day));
        months.add(monthOfDay(day));
      }
      for (const month of months) add('month', monthKey(month), this.stmt.month.all(month));
      return out;
    })();
  }


  private set(state: LedgerSync['state'], code: SyncFailure | Exclude<TeamAwsUnavailable, 'disabled'> | null): void {
    const changed = state !== this.state || code !== (this.lastError?.code ?? null);
    this.state = state;
    this.lastError = code === null ? null : { code, params: {} };
    if (changed || state === 'idle') this.deps.onChanged?.();
  }
}

function ledgerRow(r: CostDbRow, operator: string): LedgerRow {
  return {
    id: idFromDb(r.id),
    seq: r.seq,
    operator: r.operator_id ?? operator,
    ts: r.ts,
    provider: r.provider,
    deployment: r.deployment,
    model: r.base_model,
    purpose: r.purpose,
    campaign: r.campaign_id ?? '-',
    requestId: idFromDb(r.request_id),
    attempt: r.attempt,
    inputTokens: r.input_tokens,
    cachedInputTokens: r.cached_input_tokens,
    outputTokens: r.output_tokens,
    costMicros: r.cost_micros,
    status: r.status,
    priceSource: r.price_source,
  };
}
