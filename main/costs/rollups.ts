import type { Db } from '../db/open';

/** One ledger row as the rollups see it: its local buckets and what it adds. */
export interface Fact {
  day: number;
  month: number;
  provider: string;
  model: string;
  purpose: string;
  /** '' when the row had none. */
  campaign: string;
  operator: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costMicros: number;
}

export const DIMENSIONS = ['provider', 'model', 'purpose', 'campaign', 'operator'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** SQL column of each dimension in every rollup table. */
export const COLUMN: Record<Dimension, string> = { provider: 'provider', model: 'model', purpose: 'purpose', campaign: 'campaign_id', operator: 'operator_id' };

export interface RollupTable {
  name: string;
  period: 'day' | 'month';
  dims: readonly Dimension[];
}

/**
 * The rollups, one per question (migration 005 gives them this shape, each with a `_next`
 * twin). Every table leads with its period, so a group commit (whose rows share a day) dirties a
 * handful of adjacent pages per table instead of one page per key: that page count, not the
 * number of upserts, is what a commit pays for. stats, series and the budget pre-flight read
 * `cost_day_model`; breakdowns take the narrowest day table that holds their dimensions, whole
 * months from `cost_month_all`. `campaigns.costs` reads `cost_day_campaign` and `cost_month_all`
 * through their campaign indexes (whose entries change only when a key is new, once a day).
 * Groupings that mix two of purpose, campaign and operator have no day table: see queries.ts.
 */
export const ROLLUP_TABLES: readonly RollupTable[] = [
  { name: 'cost_day_model', period: 'day', dims: ['provider', 'model'] },
  { name: 'cost_day_purpose', period: 'day', dims: ['purpose', 'provider', 'model'] },
  { name: 'cost_day_operator', period: 'day', dims: ['operator', 'provider', 'model'] },
  { name: 'cost_day_campaign', period: 'day', dims: ['campaign', 'provider', 'model'] },
  { name: 'cost_day_all', period: 'day', dims: ['provider', 'model', 'purpose', 'campaign', 'operator'] },
  { name: 'cost_month_all', period: 'month', dims: ['provider', 'model', 'purpose', 'campaign', 'operator'] },
];

const MEASURE_COLS = 'requests, input_tokens, cached_input_tokens, output_tokens, cost_micros';

interface Sum {
  keys: (string | number)[];
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costMicros: number;
}

/** Key columns in primary-key order, as migration 005 declared them: the period first. */
function keyColumns(t: RollupTable): string[] {
  return [t.period, ...t.dims.map((d) => COLUMN[d])];
}

const UPDATE_SUMS = `requests = requests + excluded.requests, input_tokens = input_tokens + excluded.input_tokens,
  cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens, output_tokens = output_tokens + excluded.output_tokens,
  cost_micros = cost_micros + excluded.cost_micros`;

/** Each dimension as an expression over an ai_costs row. */
const LEDGER_EXPR: Record<Dimension, string> = {
  provider: 'provider',
  model: 'base_model',
  purpose: 'purpose',
  campaign: "COALESCE(campaign_id, '')",
  operator: "COALESCE(operator_id, '')",
};

const FACT_FIELD: Record<string, keyof Fact> = { day: 'day', month: 'month', provider: 'provider', model: 'model', purpose: 'purpose', campaign_id: 'campaign', operator_id: 'operator' };

/** The key values of a fact in one table, compiled once per table (this runs for every row of every table). */
function keyReader(t: RollupTable): (f: Fact) => (string | number)[] {
  const fields = keyColumns(t).map((c) => FACT_FIELD[c]!);
  return (f) => fields.map((k) => f[k]);
}

/**
 * Writes facts into the rollups, summed in memory first so a batch costs one upsert per key per
 * table, not one per row. `suffix` '' is the live set, '_next' the set a rebuild fills.
 */
export class RollupWriter {
  private readonly tables;
  private readonly fromLedger;

  constructor(db: Db, suffix: '' | '_next') {
    this.tables = ROLLUP_TABLES.map((t) => {
      const cols = keyColumns(t);
      const upsert = db.prepare(
        `INSERT INTO ${t.name}${suffix} (${cols.join(', ')}, ${MEASURE_COLS}) VALUES (${cols.map(() => '?').join(', ')}, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET ${UPDATE_SUMS}`,
      );
      return { upsert, keysOf: keyReader(t) };
    });
    this.fromLedger = ROLLUP_TABLES.map((t) => {
      const cols = keyColumns(t);
      const dims = t.dims.map((d) => LEDGER_EXPR[d]);
      return db.prepare<{ period: number; lo: number; hi: number }>(
        `INSERT INTO ${t.name}${suffix} (${cols.join(', ')}, ${MEASURE_COLS})
         SELECT @period, ${dims.join(', ')}, COUNT(*), SUM(input_tokens), SUM(cached_input_tokens), SUM(output_tokens), SUM(cost_micros)
         FROM ai_costs WHERE seq BETWEEN @lo AND @hi GROUP BY ${dims.join(', ')}
         ON CONFLICT DO UPDATE SET ${UPDATE_SUMS}`,
      );
    });
  }

  /**
   * The common group commit: every row it wrote falls on one local `day`, and its rows are
   * exactly ai_costs `seq` lo..hi (still in the page cache). SQLite sums them per key itself, so
   * a table costs one statement per commit instead of JavaScript grouping plus one call per key.
   */
  writeLedgerRange(day: number, month: number, lo: number, hi: number): void {
    ROLLUP_TABLES.forEach((t, i) => this.fromLedger[i]!.run({ period: t.period === 'day' ? day : month, lo, hi }));
  }

  write(facts: readonly Fact[]): void {
    if (facts.length === 0) return;
    for (const { upsert, keysOf } of this.tables) {
      const sums = new Map<string, Sum>();
      for (const f of facts) {
        const keys = keysOf(f);
        const k = keys.join('\u0000');
        let s = sums.get(k);
        if (!s) {
          s = { keys, requests: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costMicros: 0 };
          sums.set(k, s);
        }
        s.requests++;
        s.inputTokens += f.inputTokens;
        s.cachedInputTokens += f.cachedInputTokens;
        s.outputTokens += f.outputTokens;
        s.costMicros += f.costMicros;
      }
      // In key order: neighbouring keys share pages, so the b-tree walk stays on warm pages.
      const ordered = sums.size > 1 ? [...sums.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((e) => e[1]) : sums.values();
      for (const s of ordered) upsert.run(...s.keys, s.requests, s.inputTokens, s.cachedInputTokens, s.outputTokens, s.costMicros);
    }
  }
}

/** Empties the `_next` set (a rebuild starting over). */
export function clearNext(db: Db): void {
  for (const t of ROLLUP_TABLES) db.prepare(`DELETE FROM ${t.name}_next`).run();
}

/** Replaces the live set with the `_next` set; the caller holds the transaction. */
export function promoteNext(db: Db): void {
  for (const t of ROLLUP_TABLES) {
    db.prepare(`DELETE FROM ${t.name}`).run();
    db.prepare(`INSERT INTO ${t.name} SELECT * FROM ${t.name}_next`).run();
    db.prepare(`DELETE FROM ${t.name}_next`).run();
  }
}

export { keyColumns };
