import type { Db } from '../db/open';
import { calendarFor, type LocalCalendar, monthOfDay } from './localtime';
import { clearNext, type Fact, promoteNext, RollupWriter } from './rollups';

/** What a cost row contributes, in the shape the ledger holds it. */
export interface CostFacts {
  ts: number;
  provider: string;
  baseModel: string;
  purpose: string;
  campaignId: string | null;
  operatorId: string | null;
  usage: { inputTokens: number; cachedInputTokens: number; outputTokens: number };
  costMicros: number;
}

export interface RebuildProgress {
  /** Ledger rows folded into the new zone's rollups so far, out of `total` (rowids, which are dense: rows are never deleted). */
  done: number;
  total: number;
  zone: string;
  finished: boolean;
}

interface StateRow {
  zone: string;
  target_zone: string | null;
  cursor: number | null;
  high: number | null;
}

interface LedgerRow {
  rowid: number;
  ts: number;
  provider: string;
  base_model: string;
  purpose: string;
  campaign_id: string | null;
  operator_id: string | null;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cost_micros: number;
}

export function factOf(cal: LocalCalendar, r: CostFacts): Fact {
  const day = cal.localDay(r.ts);
  return {
    day,
    month: cal.localMonth(r.ts),
    provider: r.provider,
    model: r.baseModel,
    purpose: r.purpose,
    campaign: r.campaignId ?? '',
    operator: r.operatorId ?? '',
    inputTokens: r.usage.inputTokens,
    cachedInputTokens: r.usage.cachedInputTokens,
    outputTokens: r.usage.outputTokens,
    costMicros: r.costMicros,
  };
}

/**
 * `rows` are in rowid order and are every ledger row of their rowid range (what one group commit,
 * or the tail of one, wrote), so each run of consecutive rows on one local day is a `seq` range
 * of its own: SQLite sums it from the ledger pages the commit just wrote. A commit scattered over
 * many days (a backfill) is summed in memory instead.
 */
function writeSet(writer: RollupWriter, cal: LocalCalendar, rows: ReadonlyArray<{ rowid: number; row: CostFacts }>): void {
  if (rows.length === 0) return;
  const runs: [day: number, lo: number, hi: number][] = [];
  for (const w of rows) {
    const day = cal.localDay(w.row.ts);
    const last = runs[runs.length - 1];
    if (last && last[0] === day) last[2] = w.rowid;
    else if (runs.length === 4) return writer.write(rows.map((r) => factOf(cal, r.row)));
    else runs.push([day, w.rowid, w.rowid]);
  }
  for (const [day, lo, hi] of runs) writer.writeLedgerRange(day, monthOfDay(day), lo, hi);
}

/**
 * The rollups of one database and the zone they are bucketed in. A zone change rebuilds the
 * `_next` set from ai_costs in bounded steps while the live set keeps answering (a consistent
 * snapshot in the old zone): rows up to `high` (the last rowid when the rebuild began) are
 * folded in by the steps, rows written after it by the ledger itself, so each row lands in the
 * new set exactly once. Progress is in cost_rollup_state, committed with each step, so a
 * rebuild cut short resumes where it stopped at the next open.
 */
export class ZoneRollups {
  private state!: StateRow;
  private cal!: LocalCalendar;
  private nextCal: LocalCalendar | null = null;
  private readonly live: RollupWriter;
  private readonly next: RollupWriter;
  private readonly readState;
  private readonly saveState;
  private readonly maxRowid;
  private readonly slice;

  constructor(private readonly db: Db) {
    this.live = new RollupWriter(db, '');
    this.next = new RollupWriter(db, '_next');
    this.readState = db.prepare<[], StateRow>('SELECT zone, target_zone, cursor, high FROM cost_rollup_state WHERE id = 1');
    this.saveState = db.prepare<[string, string | null, number | null, number | null]>(
      'UPDATE cost_rollup_state SET zone = ?, target_zone = ?, cursor = ?, high = ? WHERE id = 1',
    );
    this.maxRowid = db.prepare<[], number>('SELECT COALESCE(MAX(seq), 0) FROM ai_costs').pluck();
    this.slice = db.prepare<[number, number, number], LedgerRow>(
      `SELECT seq AS rowid, ts, provider, base_model, purpose, campaign_id, operator_id, input_tokens, cached_input_tokens, output_tokens, cost_micros
       FROM ai_costs WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
    );
    this.load();
  }

  private load(): void {
    this.state = this.readState.get()!;
    this.cal = calendarFor(this.state.zone);
    this.nextCal = this.state.target_zone ? calendarFor(this.state.target_zone) : null;
  }

  /** The zone the live rollups (and so every answer) are in. */
  get zone(): string {
    return this.state.zone;
  }

  get calendar(): LocalCalendar {
    return this.cal;
  }

  /** The zone a rebuild is heading to, if one is under way. */
  get target(): string | null {
    return this.state.target_zone;
  }

  /** Inside the ledger's transaction: the rows it just inserted, with their rowids. */
  write(rows: ReadonlyArray<{ rowid: number; row: CostFacts }>): void {
    writeSet(this.live, this.cal, rows);
    const nextCal = this.nextCal;
    const high = this.state.high;
    if (nextCal && high !== null) {
      const later = rows.filter((w) => w.rowid > high);
      if (later.length) writeSet(this.next, nextCal, later);
    }
  }

  /** Aims the rollups at `zone`; true when a rebuild now has to run. */
  retarget(zone: string): boolean {
    this.db.transaction(() => {
      const s = this.readState.get()!;
      if (s.target_zone === zone) return;
      clearNext(this.db);
      if (s.zone === zone) this.saveState.run(s.zone, null, null, null);
      else this.saveState.run(s.zone, zone, 0, this.maxRowid.get()!);
    })();
    this.load();
    return this.state.target_zone !== null;
  }

  /** Folds up to `limit` ledger rows into the `_next` set; the last step swaps it in. */
  step(limit: number): RebuildProgress {
    const progress = this.db.transaction((): RebuildProgress => {
      const s = this.readState.get()!;
      if (s.target_zone === null || s.cursor === null || s.high === null) return { done: 0, total: 0, zone: s.zone, finished: true };
      const cal = calendarFor(s.target_zone);
      const rows = this.slice.all(s.cursor, s.high, limit);
      this.next.write(rows.map((r) => factOf(cal, { ...r, baseModel: r.base_model, campaignId: r.campaign_id, operatorId: r.operator_id, usage: { inputTokens: r.input_tokens, cachedInputTokens: r.cached_input_tokens, outputTokens: r.output_tokens }, costMicros: r.cost_micros })));
      const cursor = rows.length < limit ? s.high : rows[rows.length - 1]!.rowid;
      if (cursor >= s.high) {
        promoteNext(this.db);
        this.saveState.run(s.target_zone, null, null, null);
        return { done: s.high, total: s.high, zone: s.target_zone, finished: true };
      }
      this.saveState.run(s.zone, s.target_zone, cursor, s.high);
      return { done: cursor, total: s.high, zone: s.target_zone, finished: false };
    })();
    this.load();
    return progress;
  }
}
