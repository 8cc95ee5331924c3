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
  /** Rows without a campaign are left out (the campaign table answers campaign questions only). */
  campaignOnly?: boolean;
}

/**
 * The rollups, one per question (migration 004 creates them, each with a `_next` twin):
 * stats, series and the budget pre-flight read `cost_day_model`; `campaigns.costs` reads
 * `cost_campaign_day` by campaign; breakdowns take the narrowest day table that holds their
 * dimensions, whole months from `cost_month_all`, and fall back to `cost_day_all` only for the
 * partial months at the edges of a range whose dimensions no narrow table holds.
 */
export const ROLLUP_TABLES: readonly RollupTable[] = [
  { name: 'cost_day_model', period: 'day', dims: ['provider', 'model'] },
  { name: 'cost_day_purpose', period: 'day', dims: ['purpose', 'provider', 'model'] },
  { name: 'cost_day_operator', period: 'day', dims: ['operator', 'provider', 'model'] },
  { name: 'cost_campaign_day', period: 'day', dims: ['campaign', 'purpose', 'provider', 'model'], campaignOnly: true },
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

/** Key columns in primary-key order, as migration 004 declared them. */
function keyColumns(t: RollupTable): string[] {
  const dims = t.dims.map((d) => COLUMN[d]);
  // The campaign table leads with the campaign so one campaign's history is one range.
  if (t.campaignOnly) return ['campaign_id', t.period, ...dims.filter((c) => c !== 'campaign_id')];
  return [t.period, ...dims];
}

function factKey(t: RollupTable, f: Fact): (string | number)[] {
  const values: Record<string, string | number> = { day: f.day, month: f.month, provider: f.provider, model: f.model, purpose: f.purpose, campaign_id: f.campaign, operator_id: f.operator };
  return keyColumns(t).map((c) => values[c]!);
}

/**
 * Writes facts into the rollups, summed in memory first so a batch costs one upsert per key per
 * table, not one per row. `suffix` '' is the live set, '_next' the set a rebuild fills.
 */
export class RollupWriter {
  private readonly upserts;

  constructor(db: Db, suffix: '' | '_next') {
    this.upserts = ROLLUP_TABLES.map((t) => {
      const cols = keyColumns(t);
      return db.prepare(
        `INSERT INTO ${t.name}${suffix} (${cols.join(', ')}, ${MEASURE_COLS}) VALUES (${cols.map(() => '?').join(', ')}, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET requests = requests + excluded.requests, input_tokens = input_tokens + excluded.input_tokens,
           cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens, output_tokens = output_tokens + excluded.output_tokens,
           cost_micros = cost_micros + excluded.cost_micros`,
      );
    });
  }

  write(facts: readonly Fact[]): void {
    if (facts.length === 0) return;
    ROLLUP_TABLES.forEach((t, i) => {
      const sums = new Map<string, Sum>();
      for (const f of facts) {
        if (t.campaignOnly && f.campaign === '') continue;
        const keys = factKey(t, f);
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
      const stmt = this.upserts[i]!;
      for (const s of sums.values()) stmt.run(...s.keys, s.requests, s.inputTokens, s.cachedInputTokens, s.outputTokens, s.costMicros);
    });
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
