import type { CompletionRequest, CompletionResult } from '../../shared/ai';
import type { Db } from '../db/open';
import { type Logger, silentLogger } from '../ports/logger';

/** One finished request as the log keeps it. */
export interface RequestRecord {
  request: Pick<CompletionRequest, 'purpose' | 'modelClass' | 'campaignId' | 'operatorId'>;
  result: CompletionResult;
  /** Wall time the request started (epoch ms, from the Clock). */
  ts: number;
  latencyMs: number;
}

export interface RequestLogOptions {
  /** After each commit that wrote rows: how many. */
  onCommitted?: (count: number) => void;
  logger?: Logger;
}

/** Served by nobody: the last provider tried is what the operator filters a failure by. */
function providerOf(result: CompletionResult) {
  if (result.provider) return { provider: result.provider, deployment: result.deployment, baseModel: result.baseModel };
  const last = result.attempts.at(-1);
  return last ? { provider: last.provider, deployment: last.deployment, baseModel: last.baseModel } : { provider: null, deployment: null, baseModel: null };
}

/**
 * Writes the request log. `record` never throws and never waits: rows queued in the same turn
 * of the event loop share one transaction (the ledger's group commit), and a failed write is
 * logged and dropped, because the request and its cost rows are already done and answered.
 */
export class RequestLog {
  private pending: RequestRecord[] = [];
  private scheduled = false;
  private readonly insert;
  private readonly writeAll: (rows: RequestRecord[]) => number;
  private readonly logger: Logger;

  constructor(
    private readonly db: Db,
    private readonly options: RequestLogOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.insert = db.prepare(
      `INSERT INTO ai_requests (id, ts, purpose, model_class, campaign_id, operator_id, outcome, error_kind, error_detail, provider, deployment,
         base_model, attempt_count, input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, served_by_fallback, downgraded, attempts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.writeAll = db.transaction((rows: RequestRecord[]) => {
      let written = 0;
      for (const r of rows) written += this.writeOne(r);
      return written;
    });
  }

  record(row: RequestRecord): void {
    this.pending.push(row);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes many rows now in one transaction, for a seed or an import; throws if they cannot be written. */
  writeMany(rows: RequestRecord[]): number {
    const written = this.writeAll(rows);
    if (written > 0) this.options.onCommitted?.(written);
    return written;
  }

  /** Writes what is queued, now. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || !this.db.open) return;
    let written: number;
    try {
      written = this.writeAll(batch);
    } catch (err) {
      this.logger.error('requests: request log rows could not be written', { count: batch.length, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (written > 0) this.options.onCommitted?.(written);
  }

  private writeOne({ request, result, ts, latencyMs }: RequestRecord): number {
    const at = providerOf(result);
    const u = result.usage;
    return this.insert.run(
      result.requestId, ts, request.purpose, request.modelClass, request.campaignId ?? null, request.operatorId ?? null,
      result.outcome, result.error?.kind ?? null, result.error?.detail ?? null, at.provider, at.deployment, at.baseModel,
      result.attempts.length, u.inputTokens, u.cachedInputTokens, u.outputTokens, result.costMicros, Math.max(0, Math.round(latencyMs)),
      result.servedByFallback ? 1 : 0, result.downgraded ? 1 : 0, JSON.stringify({ attempts: result.attempts, skipped: result.skipped }),
    ).changes;
  }
}
