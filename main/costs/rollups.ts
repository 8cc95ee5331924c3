import type { Db } from '../db/open';
import type { LocalCalendar } from './localtime';
import { monthOfDay } from './localtime';

/** Ledger rows of one finest key (local day × every dimension) as the rollups see them: where they go and what they add. */
export interface Fact {
  day: number;
  month: number;
  provider: string;
  model: string;
  purpose: string;
  /** '' when the row had none. */
  campaign: string;
  operator: string;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costMicros: number;
}

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
 * The rollups, one per question (migrations 004 and 006 give them this shape, each with a `_next`
 * twin). Every table leads with its period, so a fold (whose rows mostly share a day) dirties a
 * run of adjacent pages per table instead of pages all over it: that page count, not the
 * number of upserts, is what a fold pays for. stats, series and the budget pre-flight read
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

/** Key columns in primary-key order, as the migrations declared them: the period first. */
function keyColumns(t: RollupTable): string[] {
  return [t.period, ...t.dims.map((d) => COLUMN[d])];
}

const UPDATE_SUMS = `requests = requests + excluded.requests, input_tokens = input_tokens + excluded.input_tokens,
  cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens, output_tokens = output_tokens + excluded.output_tokens,
  cost_micros = cost_micros + excluded.cost_micros`;

const FACT_FIELD: Record<string, keyof Fact> = { day: 'day', month: 'month', provider: 'provider', model: 'model', purpose: 'purpose', campaign_id: 'campaign', operator_id: 'operator' };

/** The key values of a fact in one table, compiled once per table (this runs for every row of every table). */
function keyReader(t: RollupTable): (f: Fact) => (string | number)[] {
  const fields = keyColumns(t).map((c) => FACT_FIELD[c]!);
  return (f) => fields.map((k) => f[k]);
}

/**
 * Ledger rows summed per finest key in memory, in one zone, until a fold writes them: a row
 * costs one Map update here, and every rollup table is derived from these few thousand groups
 * at the fold instead of from the rows.
 */
export class RollupSums {
  private readonly groups = new Map<string, Fact>();
  /** Ledger rows added since the last clear. */
  rows = 0;

  constructor(readonly calendar: LocalCalendar) {}

  add(r: CostFacts): void {
    const day = this.calendar.localDay(r.ts);
    const campaign = r.campaignId ?? '';
    const operator = r.operatorId ?? '';
    const k = `${day}\u0000${r.provider}\u0000${r.baseModel}\u0000${r.purpose}\u0000${campaign}\u0000${operator}`;
    let g = this.groups.get(k);
    if (!g) {
      g = { day, month: monthOfDay(day), provider: r.provider, model: r.baseModel, purpose: r.purpose, campaign, operator, requests: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costMicros: 0 };
      this.groups.set(k, g);
    }
    g.requests++;
    g.inputTokens += r.usage.inputTokens;
    g.cachedInputTokens += r.usage.cachedInputTokens;
    g.outputTokens += r.usage.outputTokens;
    g.costMicros += r.costMicros;
    this.rows++;
  }

  facts(): Fact[] {
    return [...this.groups.values()];
  }

  clear(): void {
    this.groups.clear();
    this.rows = 0;
  }
}

/** Writes summed facts into the rollups, one upsert per key per table. `suffix` '' is the live set, '_next' the set a rebuild fills. */
export class RollupWriter {
  private readonly tables;

  constructor(db: Db, suffix: '' | '_next') {
    this.tables = ROLLUP_TABLES.map((t) => {
      const cols = keyColumns(t);
      const upsert = db.prepare(
        `INSERT INTO ${t.name}${suffix} (${cols.join(', ')}, ${MEASURE_COLS}) VALUES (${cols.map(() => '?').join(', ')}, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET ${UPDATE_SUMS}`,
      );
      return { upsert, keysOf: keyReader(t) };
    });
  }

  write(facts: readonly Fact[]): void {
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
        s.requests += f.requests;
        s.inputTokens += f.inputTokens;
        s.cachedInputTokens += f.cachedInputTokens;
        s.outputTokens += f.outputTokens;
        s.costMicros += f.costMicros;
      }
      // In key order: neighbouring keys share pages, so the b-tree walk stays on warm pages.
      const ordered = [...sums.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      for (const [, s] of ordered) upsert.run(...s.keys, s.requests, s.inputTokens, s.cachedInputTokens, s.outputTokens, s.costMicros);
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
