import { z } from 'zod';
import type { PriceSource, ProviderId, Purpose, Usage } from '../../shared/ai';
import type { Db } from '../db/open';
import { type Tx, txOf } from '../db/tx';
import { createOutbox, type Outbox } from '../outbox';
import type { Clock } from '../ports/clock';

export interface CostRow {
  id: string;
  requestId: string;
  attempt: number;
  ts: number;
  provider: ProviderId;
  deployment: string;
  baseModel: string;
  purpose: Purpose;
  campaignId: string | null;
  operatorId: string | null;
  usage: Usage;
  costMicros: number;
  latencyMs: number;
  status: string;
  priceSource: PriceSource;
}

export const dayBucket = (ts: number) => new Date(ts).toISOString().slice(0, 10);
export const monthBucket = (ts: number) => new Date(ts).toISOString().slice(0, 7);

/** The outbox topic announcing a new cost row; the row itself is read from ai_costs by id. */
export const AI_COST_TOPIC = 'ai_cost';
export const aiCostPayloadSchema = z.object({ costId: z.string().min(1) });
export type AiCostPayload = z.infer<typeof aiCostPayloadSchema>;

interface Pending {
  row: CostRow;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface RollupSum {
  period: 'day' | 'month';
  bucket: string;
  provider: string;
  model: string;
  campaignId: string;
  operatorId: string;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costMicros: number;
}

/** A row written in this batch (not a replay), with its buckets computed once. */
interface Written {
  row: CostRow;
  day: string;
  month: string;
}

/** A row failed while the batch ran without savepoints: the batch goes again, one savepoint per row. */
class NeedsIsolation extends Error {}

/** A row whose failure took the whole transaction with it (RAISE(ROLLBACK), SQLITE_FULL…). */
class TransactionLost extends Error {
  constructor(
    readonly culprit: Pending,
    override readonly cause: unknown,
  ) {
    super('a row rolled back the whole transaction');
  }
}

/**
 * The AI cost ledger. Each cost row, its day and month rollups and its outbox row are written
 * in one transaction. Rows arriving in the same turn of the event loop share a transaction
 * (group commit), so 200 requests in flight cost one fsync, not 200; `record` resolves only
 * once the row is durable. A row that fails rejects its own caller only: a batch first runs
 * whole, and on the first failing row it is rolled back and run again with each row in its own
 * SAVEPOINT (savepoints cost about a quarter of a row's CPU, so the common batch goes without).
 * Rollups are summed in memory over the rows that were written and upserted once per key, and
 * the spend cache moves only after the commit succeeded.
 */
export class Ledger {
  private pending: Pending[] = [];
  private scheduled = false;
  private readonly insertCost;
  private readonly upsertRollup;
  private readonly sumBucket;
  private readonly sumByProvider;
  private readonly writeIsolated: (tx: Tx, row: CostRow) => Written | null;
  private readonly writeBatch: (batch: Pending[], failed: Map<Pending, unknown>, isolate: boolean) => Written[];
  private spentCache: { day: string; dayMicros: number; month: string; monthMicros: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly outbox: Outbox = createOutbox({ db, clock }),
  ) {
    this.insertCost = db.prepare(
      `INSERT INTO ai_costs (id, request_id, attempt, ts, day, month, provider, deployment, base_model, purpose,
         campaign_id, operator_id, input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.upsertRollup = db.prepare(
      `INSERT INTO ai_cost_rollups (period, bucket, provider, model, campaign_id, operator_id, requests, input_tokens, cached_input_tokens, output_tokens, cost_micros)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (period, bucket, provider, model, campaign_id, operator_id) DO UPDATE SET
         requests = requests + excluded.requests,
         input_tokens = input_tokens + excluded.input_tokens,
         cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
         output_tokens = output_tokens + excluded.output_tokens,
         cost_micros = cost_micros + excluded.cost_micros`,
    );
    this.sumBucket = db.prepare<[string, string], { micros: number }>(
      'SELECT COALESCE(SUM(cost_micros), 0) AS micros FROM ai_cost_rollups WHERE period = ? AND bucket = ?',
    );
    this.sumByProvider = db.prepare<[string], { provider: string; micros: number }>(
      "SELECT provider, SUM(cost_micros) AS micros FROM ai_cost_rollups WHERE period = 'day' AND bucket = ? GROUP BY provider",
    );
    // Called inside the batch's transaction, better-sqlite3 wraps this one in a SAVEPOINT.
    this.writeIsolated = db.transaction((tx: Tx, row: CostRow) => this.writeOne(tx, row));
    this.writeBatch = db.transaction((batch: Pending[], failed: Map<Pending, unknown>, isolate: boolean) => {
      const tx = txOf(db);
      const written: Written[] = [];
      for (const p of batch) {
        try {
          const w = isolate ? this.writeIsolated(tx, p.row) : this.writeOne(tx, p.row);
          if (w) written.push(w);
        } catch (err) {
          // Without the transaction, the rows after this one would each autocommit on their own.
          if (!db.inTransaction) throw new TransactionLost(p, err);
          // Half of this row may be written; only a rollback of the whole batch takes it out.
          if (!isolate) throw new NeedsIsolation();
          failed.set(p, err);
        }
      }
      for (const s of sumRollups(written)) {
        this.upsertRollup.run(s.period, s.bucket, s.provider, s.model, s.campaignId, s.operatorId, s.requests, s.inputTokens, s.cachedInputTokens, s.outputTokens, s.costMicros);
      }
      return written;
    });
  }

  record(row: CostRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes everything queued, now. */
  flush(): void {
    this.scheduled = false;
    let batch = this.pending;
    this.pending = [];
    let isolate = false;
    while (batch.length > 0) {
      const failed = new Map<Pending, unknown>();
      let written: Written[];
      try {
        written = this.writeBatch(batch, failed, isolate);
      } catch (err) {
        if (err instanceof NeedsIsolation) {
          isolate = true;
          continue;
        }
        if (err instanceof TransactionLost) {
          // Only the culprit is at fault; the others go again in a fresh transaction.
          err.culprit.reject(err.cause);
          batch = batch.filter((p) => p !== err.culprit);
          continue;
        }
        for (const p of batch) p.reject(err);
        return;
      }
      this.addToSpent(written);
      for (const p of batch) {
        if (failed.has(p)) p.reject(failed.get(p));
        else p.resolve();
      }
      return;
    }
  }

  /** Null for a replay of a row already written, which must not count twice. */
  private writeOne(tx: Tx, row: CostRow): Written | null {
    const day = dayBucket(row.ts);
    const month = monthBucket(row.ts);
    const u = row.usage;
    // Positional: binding 19 named parameters from a spread object cost more than the insert itself.
    const inserted = this.insertCost.run(
      row.id, row.requestId, row.attempt, row.ts, day, month, row.provider, row.deployment, row.baseModel, row.purpose,
      row.campaignId, row.operatorId, u.inputTokens, u.cachedInputTokens, u.outputTokens, row.costMicros, row.latencyMs, row.status, row.priceSource,
    );
    if (inserted.changes === 0) return null;
    this.outbox.enqueue<AiCostPayload>(tx, { topic: AI_COST_TOPIC, key: row.id, payload: { costId: row.id } });
    return { row, day, month };
  }

  private addToSpent(written: Written[]): void {
    const spent = this.spentCache;
    if (!spent) return;
    for (const w of written) {
      if (w.day === spent.day) spent.dayMicros += w.row.costMicros;
      if (w.month === spent.month) spent.monthMicros += w.row.costMicros;
    }
  }

  /** Spend so far today and this month (UTC), from the rollups, never a ledger scan. */
  spent(): { dayMicros: number; monthMicros: number } {
    const now = this.clock.now();
    const day = dayBucket(now);
    const month = monthBucket(now);
    if (this.spentCache?.day !== day || this.spentCache.month !== month) {
      this.spentCache = {
        day,
        month,
        dayMicros: this.sumBucket.get('day', day)!.micros,
        monthMicros: this.sumBucket.get('month', month)!.micros,
      };
    }
    return { dayMicros: this.spentCache.dayMicros, monthMicros: this.spentCache.monthMicros };
  }

  costTodayByProvider(): Partial<Record<ProviderId, number>> {
    const out: Partial<Record<ProviderId, number>> = {};
    for (const r of this.sumByProvider.all(dayBucket(this.clock.now()))) out[r.provider as ProviderId] = r.micros;
    return out;
  }
}

/** One sum per rollup key (period, bucket, provider, model, campaign, operator) over a batch's rows. */
function sumRollups(written: Written[]): Iterable<RollupSum> {
  const sums = new Map<string, RollupSum>();
  const add = (period: RollupSum['period'], bucket: string, row: CostRow) => {
    const campaignId = row.campaignId ?? '';
    const operatorId = row.operatorId ?? '';
    const key = JSON.stringify([period, bucket, row.provider, row.baseModel, campaignId, operatorId]);
    let sum = sums.get(key);
    if (!sum) {
      sum = { period, bucket, provider: row.provider, model: row.baseModel, campaignId, operatorId, requests: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costMicros: 0 };
      sums.set(key, sum);
    }
    sum.requests++;
    sum.inputTokens += row.usage.inputTokens;
    sum.cachedInputTokens += row.usage.cachedInputTokens;
    sum.outputTokens += row.usage.outputTokens;
    sum.costMicros += row.costMicros;
  };
  for (const { row, day, month } of written) {
    add('day', day, row);
    add('month', month, row);
  }
  return sums.values();
}
