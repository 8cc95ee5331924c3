import type { Db } from '../db/open';
import type { Logger } from '../ports/logger';
import { calendarFor, type LocalCalendar } from './localtime';
import { clearNext, type CostFacts, promoteNext, RollupSums, RollupWriter } from './rollups';

export type { CostFacts } from './rollups';

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
  folded: number;
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

/** Ledger rows read back per statement when sums are rebuilt from ai_costs. */
const READ_BATCH = 5_000;

const costFactsOf = (r: LedgerRow): CostFacts => ({
  ts: r.ts,
  provider: r.provider,
  baseModel: r.base_model,
  purpose: r.purpose,
  campaignId: r.campaign_id,
  operatorId: r.operator_id,
  usage: { inputTokens: r.input_tokens, cachedInputTokens: r.cached_input_tokens, outputTokens: r.output_tokens },
  costMicros: r.cost_micros,
});

/**
 * The rollups of one database, the zone they are bucketed in, and how far they reach. They
 * trail the ledger: a cost row's commit hands its rows to `add`, which sums them in memory per
 * finest key, and `fold` writes those sums in one transaction that moves the `folded` watermark
 * (the last ai_costs `seq` the rollups hold) with them, so each row is counted exactly once
 * whenever the fold runs. After a restart the sums past the watermark are read back from
 * ai_costs. Folding thousands of rows at a time costs one upsert per key instead of per row,
 * and dirties each rollup page once instead of once per group commit: that is what made cost
 * rows four times dearer to write than bare inserts (the costs bench). Readers settle first.
 *
 * A zone change rebuilds the `_next` set from ai_costs in bounded steps while the live set keeps
 * answering (a consistent snapshot in the old zone): rows up to `high` (the last row summed when
 * the rebuild began) are folded in by the steps, later rows by `fold` into both sets; the last
 * step folds, then swaps the sets, so both hold the same rows. Progress is in cost_rollup_state,
 * committed with each step, so a rebuild cut short resumes where it stopped at the next open.
 */
export class ZoneRollups {
  private state!: StateRow;
  private cal!: LocalCalendar;
  private liveSums!: RollupSums;
  private nextSums: RollupSums | null = null;
  /** The last ledger `seq` added to the sums (≥ the watermark). */
  private summed = 0;
  private readonly live: RollupWriter;
  private readonly next: RollupWriter;
  private readonly readState;
  private readonly saveState;
  private readonly saveFolded;
  private readonly slice;
  private readonly countRange;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {
    this.live = new RollupWriter(db, '');
    this.next = new RollupWriter(db, '_next');
    this.readState = db.prepare<[], StateRow>('SELECT zone, target_zone, cursor, high, folded FROM cost_rollup_state WHERE id = 1');
    this.saveState = db.prepare<[string, string | null, number | null, number | null]>(
      'UPDATE cost_rollup_state SET zone = ?, target_zone = ?, cursor = ?, high = ? WHERE id = 1',
    );
    this.saveFolded = db.prepare<[number]>('UPDATE cost_rollup_state SET folded = ? WHERE id = 1');
    this.slice = db.prepare<[number, number, number], LedgerRow>(
      `SELECT seq AS rowid, ts, provider, base_model, purpose, campaign_id, operator_id, input_tokens, cached_input_tokens, output_tokens, cost_micros
       FROM ai_costs WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
    );
    this.countRange = db.prepare<[number, number], number>('SELECT COUNT(*) FROM ai_costs WHERE seq > ? AND seq <= ?').pluck();
    this.load();
  }

  /** State from the database, and the sums of every row past the watermark read back from ai_costs. */
  resync(): void {
    this.load();
  }

  private load(): void {
    this.state = this.readState.get()!;
    this.cal = calendarFor(this.state.zone);
    this.liveSums = new RollupSums(this.cal);
    this.nextSums = this.state.target_zone ? new RollupSums(calendarFor(this.state.target_zone)) : null;
    this.summed = this.state.folded;
    for (let rows = this.readTail(); rows.length; rows = this.readTail()) this.add(rows.map((r) => ({ rowid: r.rowid, row: costFactsOf(r) })));
  }

  private readTail(): LedgerRow[] {
    return this.slice.all(this.summed, Number.MAX_SAFE_INTEGER, READ_BATCH);
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

  /** Ledger rows committed but not folded yet. */
  get unfolded(): number {
    return this.liveSums.rows;
  }

  /**
   * Right after the ledger committed them: rows in `seq` order, every row of their commit. A
   * throw here leaves the sums short, which the next fold notices and repairs from ai_costs.
   */
  add(rows: ReadonlyArray<{ rowid: number; row: CostFacts }>): void {
    const high = this.state.high;
    for (const { rowid, row } of rows) {
      this.liveSums.add(row);
      if (this.nextSums && high !== null && rowid > high) this.nextSums.add(row);
      this.summed = rowid;
    }
  }

  /** Writes the sums and moves the watermark, in one transaction; returns how many ledger rows it folded. */
  fold(): number {
    if (this.summed === this.state.folded) return 0;
    // The sums must be exactly the rows past the watermark; anything else (a row the ledger
    // committed but could not hand over) is repaired from ai_costs rather than folded wrong.
    if (this.countRange.get(this.state.folded, this.summed) !== this.liveSums.rows) {
      this.logger.warn('rollups: in-memory sums did not match the ledger; summing its unfolded rows again');
      this.load();
      if (this.summed === this.state.folded) return 0;
    }
    const folded = this.summed;
    this.db.transaction(() => {
      this.live.write(this.liveSums.facts());
      if (this.nextSums) this.next.write(this.nextSums.facts());
      this.saveFolded.run(folded);
    })();
    const count = this.liveSums.rows;
    this.liveSums.clear();
    this.nextSums?.clear();
    this.state = { ...this.state, folded };
    return count;
  }

  /** Aims the rollups at `zone`; true when a rebuild now has to run. */
  retarget(zone: string): boolean {
    this.db.transaction(() => {
      const s = this.readState.get()!;
      if (s.target_zone === zone) return;
      clearNext(this.db);
      if (s.zone === zone) this.saveState.run(s.zone, null, null, null);
      // Rows summed so far (folded or not) are the steps' to fold; later ones go to both sets.
      else this.saveState.run(s.zone, zone, 0, this.summed);
    })();
    const s = this.readState.get()!;
    if (s.target_zone !== this.state.target_zone) this.nextSums = s.target_zone ? new RollupSums(calendarFor(s.target_zone)) : null;
    this.state = s;
    return s.target_zone !== null;
  }

  /** Folds up to `limit` ledger rows into the `_next` set; the last step swaps it in. */
  step(limit: number): RebuildProgress {
    const s = this.readState.get()!;
    if (s.target_zone === null || s.cursor === null || s.high === null) return { done: 0, total: 0, zone: s.zone, finished: true };
    const target = s.target_zone;
    const high = s.high;
    if (s.cursor < high) {
      const cursor = this.db.transaction((): number => {
        const rows = this.slice.all(s.cursor!, high, limit);
        const sums = new RollupSums(calendarFor(target));
        for (const r of rows) sums.add(costFactsOf(r));
        this.next.write(sums.facts());
        const to = rows.length < limit ? high : rows[rows.length - 1]!.rowid;
        this.saveState.run(s.zone, target, to, high);
        return to;
      })();
      this.state = { ...this.state, cursor };
      if (cursor < high) return { done: cursor, total: high, zone: target, finished: false };
    }
    // Both sets must hold every row summed before they swap: the live sums go in first.
    this.fold();
    this.db.transaction(() => {
      promoteNext(this.db);
      this.saveState.run(target, null, null, null);
    })();
    this.load();
    return { done: high, total: high, zone: target, finished: true };
  }
}
