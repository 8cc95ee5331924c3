import type { ProviderId, Purpose, Usage } from '../../shared/ai';
import type { PriceSource } from '../ai/pricing';
import type { Db } from '../db/open';
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

interface Pending {
  row: CostRow;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The AI cost ledger. Each cost row, its day and month rollups and its outbox row are written
 * in one transaction. Rows arriving in the same turn of the event loop share a transaction
 * (group commit), so 200 requests in flight cost one fsync, not 200; `record` resolves only
 * once the row is durable.
 */
export class Ledger {
  private pending: Pending[] = [];
  private scheduled = false;
  private readonly insertCost;
  private readonly upsertRollup;
  private readonly insertOutbox;
  private readonly sumBucket;
  private readonly sumByProvider;
  private readonly writeAll: (rows: CostRow[]) => void;
  private spentCache: { day: string; dayMicros: number; month: string; monthMicros: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.insertCost = db.prepare(
      `INSERT INTO ai_costs (id, request_id, attempt, ts, day, month, provider, deployment, base_model, purpose,
         campaign_id, operator_id, input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source)
       VALUES (@id, @requestId, @attempt, @ts, @day, @month, @provider, @deployment, @baseModel, @purpose,
         @campaignId, @operatorId, @inputTokens, @cachedInputTokens, @outputTokens, @costMicros, @latencyMs, @status, @priceSource)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.upsertRollup = db.prepare(
      `INSERT INTO ai_cost_rollups (period, bucket, provider, model, campaign_id, operator_id, requests, input_tokens, cached_input_tokens, output_tokens, cost_micros)
       VALUES (@period, @bucket, @provider, @model, @campaignId, @operatorId, 1, @inputTokens, @cachedInputTokens, @outputTokens, @costMicros)
       ON CONFLICT (period, bucket, provider, model, campaign_id, operator_id) DO UPDATE SET
         requests = requests + 1,
         input_tokens = input_tokens + excluded.input_tokens,
         cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
         output_tokens = output_tokens + excluded.output_tokens,
         cost_micros = cost_micros + excluded.cost_micros`,
    );
    this.insertOutbox = db.prepare(`INSERT INTO outbox (id, topic, payload, created_at) VALUES (?, 'ai_cost', ?, ?) ON CONFLICT (id) DO NOTHING`);
    this.sumBucket = db.prepare<[string, string], { micros: number }>(
      'SELECT COALESCE(SUM(cost_micros), 0) AS micros FROM ai_cost_rollups WHERE period = ? AND bucket = ?',
    );
    this.writeAll = db.transaction((rows: CostRow[]) => {
      for (const row of rows) this.writeOne(row);
    });
    this.sumByProvider = db.prepare<[string], { provider: string; micros: number }>(
      "SELECT provider, SUM(cost_micros) AS micros FROM ai_cost_rollups WHERE period = 'day' AND bucket = ? GROUP BY provider",
    );
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
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      this.writeAll(batch.map((p) => p.row));
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    for (const p of batch) p.resolve();
  }


  private writeOne(row: CostRow): void {
    const day = dayBucket(row.ts);
    const month = monthBucket(row.ts);
    const flat = { ...row, ...row.usage, day, month };
    if (this.insertCost.run(flat).changes === 0) return; // a replay of a row already written
    const dims = {
      provider: row.provider,
      model: row.baseModel,
      campaignId: row.campaignId ?? '',
      operatorId: row.operatorId ?? '',
      ...row.usage,
      costMicros: row.costMicros,
    };
    this.upsertRollup.run({ period: 'day', bucket: day, ...dims });
    this.upsertRollup.run({ period: 'month', bucket: month, ...dims });
    this.insertOutbox.run(row.id, JSON.stringify({ ...flat, day, month }), row.ts);
    const spent = this.spentCache;
    if (spent?.day === day) spent.dayMicros += row.costMicros;
    if (spent?.month === month) spent.monthMicros += row.costMicros;
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
