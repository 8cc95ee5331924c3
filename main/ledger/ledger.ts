import { z } from 'zod';
import type { PriceSource, ProviderId, Purpose, Usage } from '../../shared/ai';
import { firstDayOfMonth, nextMonth } from '../costs/localtime';
import { type RebuildProgress, ZoneRollups } from '../costs/zone-rollups';
import type { Db } from '../db/open';
import { txOf } from '../db/tx';
import { idToDb } from './ids';
import { createOutbox, type Outbox } from '../outbox';
import type { Clock } from '../ports/clock';
import { type Logger, silentLogger } from '../ports/logger';

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

export interface LedgerOptions {
  /** The agency's zone: days and months of the rollups are local to it. */
  timeZone?: string;
  /** After each commit that wrote rows, with the local days they touched. */
  onCommitted?: (days: ReadonlySet<number>) => void;
  /** After each commit, with the rows it wrote (replays excluded): the budget evaluator's hook. */
  onRows?: (rows: readonly CostRow[]) => void;
  /** After each step of a time-zone rebuild, and once when it finishes. */
  onRebuild?: (progress: RebuildProgress) => void;
  /** Ledger rows per rebuild step: one transaction each, so ledger writes interleave. */
  rebuildBatch?: number;
  /** Unfolded rows that make a commit fold the rollups right after it (see ZoneRollups). */
  foldRows?: number;
  /** How long a smaller tail may wait for its fold when nobody reads. */
  foldDelayMs?: number;
  logger?: Logger;
}

export const FOLD_ROWS = 32768;
export const FOLD_DELAY_MS = 250;

/**
 * The outbox topic announcing new cost rows: one message per group commit naming the range of
 * ai_costs `seq` it wrote (the rows themselves are read from ai_costs, each keyed by its own id
 * downstream, so a replayed range changes nothing). One outbox row per cost row used to cost
 * more than the cost row itself. Rows of a range that failed are simply absent from ai_costs.
 */
export const AI_COST_TOPIC = 'ai_cost';
export const aiCostPayloadSchema = z
  .object({ fromSeq: z.number().int().min(1), toSeq: z.number().int().min(1) })
  .refine((p) => p.fromSeq <= p.toSeq, { message: 'fromSeq must not be after toSeq' });
export type AiCostPayload = z.infer<typeof aiCostPayloadSchema>;

interface Pending {
  row: CostRow;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A row written in this batch (not a replay), with its rowid (the rebuild's watermark). */
interface Written {
  row: CostRow;
  rowid: number;
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
 * The AI cost ledger. Each cost row and the outbox announcement of its group commit are written
 * in one transaction. Rows arriving in the same turn of the event loop share a transaction
 * (group commit), so 200 requests in flight cost one fsync, not 200; `record` resolves only
 * once the row is durable. A row that fails rejects its own caller only: a batch first runs
 * whole, and on the first failing row it is rolled back and run again with each row in its own
 * SAVEPOINT (savepoints cost about a quarter of a row's CPU, so the common batch goes without).
 *
 * The rollups (per question, in the agency's zone: main/costs/) trail the rows on a `seq`
 * watermark: a fold adds the rows past it once `foldRows` have gathered, `foldDelayMs` after a
 * quieter commit, and before anything reads them (`settle`), so every reader sees every
 * committed row. The spend cache and the budget evaluator move at the commit itself.
 */
export class Ledger {
  private pending: Pending[] = [];
  private scheduled = false;
  private readonly insertCost;
  private readonly sumDays;
  private readonly sumByProvider;
  readonly rollups: ZoneRollups;
  private rebuilding: Promise<void> | null = null;
  private readonly writeIsolated: (row: CostRow) => Written | null;
  private readonly writeBatch: (batch: Pending[], failed: Map<Pending, unknown>, isolate: boolean) => Written[];
  private closedVersion = 0;
  private spentCache: { zone: string; day: number; dayMicros: number; month: number; monthMicros: number } | null = null;
  private foldTimer: NodeJS.Timeout | null = null;
  private readonly logger: Logger;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly outbox: Outbox = createOutbox({ db, clock }),
    private readonly options: LedgerOptions = {},
  ) {
    this.insertCost = db.prepare(
      `INSERT INTO ai_costs (id, request_id, attempt, ts, provider, deployment, base_model, purpose,
         campaign_id, operator_id, input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.sumDays = db.prepare<[number, number], number>('SELECT COALESCE(SUM(cost_micros), 0) FROM cost_day_model WHERE day >= ? AND day < ?').pluck();
    this.sumByProvider = db.prepare<[number], { provider: string; micros: number }>(
      'SELECT provider, SUM(cost_micros) AS micros FROM cost_day_model WHERE day = ? GROUP BY provider',
    );
    this.logger = options.logger ?? silentLogger;
    this.rollups = new ZoneRollups(db, this.logger);
    // Called inside the batch's transaction, better-sqlite3 wraps this one in a SAVEPOINT.
    this.writeIsolated = db.transaction((row: CostRow) => this.writeOne(row));
    this.writeBatch = db.transaction((batch: Pending[], failed: Map<Pending, unknown>, isolate: boolean) => {
      const tx = txOf(db);
      const written: Written[] = [];
      for (const p of batch) {
        try {
          const w = isolate ? this.writeIsolated(p.row) : this.writeOne(p.row);
          if (w) written.push(w);
        } catch (err) {
          // Without the transaction, the rows after this one would each autocommit on their own.
          if (!db.inTransaction) throw new TransactionLost(p, err);
          // Half of this row may be written; only a rollback of the whole batch takes it out.
          if (!isolate) throw new NeedsIsolation();
          failed.set(p, err);
        }
      }
      if (written.length) {
        // Rowids only grow and this is the only writer, so the range holds this commit's rows only.
        const fromSeq = written[0]!.rowid;
        const toSeq = written[written.length - 1]!.rowid;
        this.outbox.enqueue<AiCostPayload>(tx, { topic: AI_COST_TOPIC, key: `seq:${fromSeq}`, payload: { fromSeq, toSeq } });
      }
      return written;
    });
    // A rebuild cut short by a restart resumes; a zone changed while closed starts one.
    if (options.timeZone) this.setTimeZone(options.timeZone);
    else if (this.rollups.target) this.runRebuild();
  }

  /** The zone the rollups answer in now (the previous one until a rebuild finishes). */
  get timeZone(): string {
    return this.rollups.zone;
  }

  get calendar() {
    return this.rollups.calendar;
  }

  /** Moves when a month before the current one changes in the live rollups (CostQueries caches those). */
  get closedMonthsVersion(): number {
    return this.closedVersion;
  }

  /** Re-buckets the rollups into `zone` in the background, with progress; queries keep the old zone until it is done. */
  setTimeZone(zone: string): void {
    if (this.rollups.retarget(zone)) this.runRebuild();
  }

  /** Resolves once no rebuild is running (finished, or stopped by the database closing). */
  rebuilt(): Promise<void> {
    return this.rebuilding ?? Promise.resolve();
  }

  private runRebuild(): void {
    if (this.rebuilding) return;
    const limit = this.options.rebuildBatch ?? 5_000;
    this.rebuilding = new Promise<void>((resolve) => {
      const stop = () => {
        this.rebuilding = null;
        resolve();
      };
      const tick = () => {
        // A closed profile stops here; the state row says where to resume at the next open.
        if (!this.db.open) return stop();
        let progress: RebuildProgress;
        try {
          progress = this.rollups.step(limit);
        } catch (err) {
          // The old zone keeps answering; the state row lets the next open resume the rebuild.
          this.logger.error('ledger: time-zone rebuild step failed; it resumes at the next start', { error: err instanceof Error ? err.message : String(err) });
          return stop();
        }
        this.options.onRebuild?.(progress);
        if (!progress.finished) return void setImmediate(tick);
        this.spentCache = null;
        this.closedVersion++;
        this.options.onCommitted?.(new Set([this.rollups.calendar.localDay(this.clock.now())]));
        // Aimed elsewhere while the last step ran (onRebuild may retarget): go on, same promise.
        if (this.rollups.target) return void setImmediate(tick);
        stop();
      };
      setImmediate(tick);
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
      this.handOver(written);
      this.addToSpent(written);
      this.noteLateRows(written);
      if (written.length && this.options.onRows) this.options.onRows(written.map((w) => w.row));
      if (written.length && this.options.onCommitted) {
        const cal = this.rollups.calendar;
        this.options.onCommitted(new Set(written.map((w) => cal.localDay(w.row.ts))));
      }
      for (const p of batch) {
        if (failed.has(p)) p.reject(failed.get(p));
        else p.resolve();
      }
      if (written.length) this.foldSoon();
      return;
    }
  }

  /** Brings the rollups up to every committed row; every reader of them calls this first. */
  settle(): void {
    this.rollups.fold();
  }

  /** The committed rows go to the rollups' sums; were that to fail, the sums are read back from ai_costs. */
  private handOver(written: Written[]): void {
    try {
      this.rollups.add(written);
    } catch (err) {
      this.logger.error('ledger: summing cost rows for the rollups failed; reading them back', { error: err instanceof Error ? err.message : String(err) });
      this.foldQuietly(() => this.rollups.resync());
    }
  }

  private foldSoon(): void {
    if (this.rollups.unfolded >= (this.options.foldRows ?? FOLD_ROWS)) return this.foldQuietly();
    if (this.foldTimer) return;
    this.foldTimer = setTimeout(() => {
      this.foldTimer = null;
      if (this.db.open) this.foldQuietly();
    }, this.options.foldDelayMs ?? FOLD_DELAY_MS);
    this.foldTimer.unref();
  }

  /** The rows are durable already: a failed fold is retried by the next one, or by the next read. */
  private foldQuietly(work = () => this.settle()): void {
    try {
      work();
    } catch (err) {
      this.logger.error('ledger: folding cost rows into the rollups failed; will retry', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Null for a replay of a row already written, which must not count twice. */
  private writeOne(row: CostRow): Written | null {
    const u = row.usage;
    // Positional: binding 17 named parameters from a spread object cost more than the insert itself.
    const inserted = this.insertCost.run(
      idToDb(row.id), idToDb(row.requestId), row.attempt, row.ts, row.provider, row.deployment, row.baseModel, row.purpose,
      row.campaignId, row.operatorId, u.inputTokens, u.cachedInputTokens, u.outputTokens, row.costMicros, row.latencyMs, row.status, row.priceSource,
    );
    if (inserted.changes === 0) return null;
    return { row, rowid: Number(inserted.lastInsertRowid) };
  }

  private noteLateRows(written: Written[]): void {
    const cal = this.rollups.calendar;
    const current = cal.localMonth(this.clock.now());
    if (written.some((w) => cal.localMonth(w.row.ts) < current)) this.closedVersion++;
  }

  private addToSpent(written: Written[]): void {
    const spent = this.spentCache;
    if (!spent || spent.zone !== this.rollups.zone) return;
    const cal = this.rollups.calendar;
    for (const w of written) {
      const day = cal.localDay(w.row.ts);
      if (day === spent.day) spent.dayMicros += w.row.costMicros;
      if (cal.localMonth(w.row.ts) === spent.month) spent.monthMicros += w.row.costMicros;
    }
  }

  /** Spend so far today and this month in the agency's zone, from the rollups, never a ledger scan. */
  spent(): { dayMicros: number; monthMicros: number } {
    const now = this.clock.now();
    const cal = this.rollups.calendar;
    const day = cal.localDay(now);
    const month = cal.localMonth(now);
    let c = this.spentCache;
    if (c?.zone !== this.rollups.zone || c.day !== day || c.month !== month) {
      this.settle();
      c = this.spentCache = {
        zone: this.rollups.zone,
        day,
        month,
        dayMicros: this.sumDays.get(day, day + 1)!,
        monthMicros: this.sumDays.get(firstDayOfMonth(month), firstDayOfMonth(nextMonth(month)))!,
      };
    }
    return { dayMicros: c.dayMicros, monthMicros: c.monthMicros };
  }

  costTodayByProvider(): Partial<Record<ProviderId, number>> {
    const out: Partial<Record<ProviderId, number>> = {};
    this.settle();
    for (const r of this.sumByProvider.all(this.rollups.calendar.localDay(this.clock.now()))) out[r.provider as ProviderId] = r.micros;
    return out;
  }
}
