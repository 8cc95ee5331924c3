import fc from 'fast-check';
import type { Db } from '../../main/db/open';
import { keyColumns, ROLLUP_TABLES } from '../../main/costs/rollups';
import type { CostRow } from '../../main/ledger/ledger';
import { dayNumber } from '../../shared/costs';

/** The slow, obviously right answer: Intl for this very instant. */
export function referenceLocalDate(zone: string, ts: number): string {
  const p: Record<string, string> = {};
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  for (const part of fmt.formatToParts(ts)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}`;
}

/** Zones with DST (both hemispheres, a 30-minute shift), half- and quarter-hour offsets. */
export const TEST_ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham'];

/** Instants around 2026's DST days in those zones, plus month ends, where buckets go wrong first. */
const HOTSPOTS = [
  Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 10, 1, 6), Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1),
  Date.UTC(2026, 3, 4, 15), Date.UTC(2026, 9, 3, 15), Date.UTC(2026, 2, 31, 18, 30), Date.UTC(2026, 11, 31, 23),
];

const MODELS: Record<string, string[]> = { azure: ['gpt-4o', 'gpt-4o-mini'], openai: ['gpt-4.1', 'o4-mini'], local: ['llama-3'] };

let seq = 0;
export const costRowArb: fc.Arbitrary<CostRow> = fc
  .record({
    ts: fc.oneof(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 31) }), fc.tuple(fc.constantFrom(...HOTSPOTS), fc.integer({ min: -7_200_000, max: 7_200_000 })).map(([h, d]) => h + d)),
    provider: fc.constantFrom('azure', 'openai', 'local'),
    m: fc.nat(1),
    purpose: fc.constantFrom('personalize', 'copy', 'reply', 'analysis'),
    campaignId: fc.constantFrom(null, 'cmp-1', 'cmp-2', 'cmp-3'),
    operatorId: fc.constantFrom(null, 'op-1', 'op-2'),
    input: fc.integer({ min: 0, max: 5000 }),
    cachedPct: fc.integer({ min: 0, max: 100 }),
    output: fc.integer({ min: 0, max: 2000 }),
    costMicros: fc.integer({ min: 0, max: 50_000_000 }),
  })
  .map((r) => {
    seq++;
    const models = MODELS[r.provider]!;
    return {
      id: `cost-${seq}`, requestId: `req-${seq}`, attempt: 1, ts: r.ts, provider: r.provider as CostRow['provider'], deployment: 'dep',
      baseModel: models[r.m % models.length]!, purpose: r.purpose as CostRow['purpose'], campaignId: r.campaignId, operatorId: r.operatorId,
      usage: { inputTokens: r.input, cachedInputTokens: Math.floor((r.input * r.cachedPct) / 100), outputTokens: r.output },
      costMicros: r.costMicros, latencyMs: 10, status: 'ok', priceSource: 'table',
    };
  });

export interface RefRow {
  day: number;
  month: number;
  provider: string;
  model: string;
  purpose: string;
  campaign_id: string;
  operator_id: string;
  requests: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cost_micros: number;
}

/** ai_costs as it stands, each row bucketed the slow way (Intl for the very instant). */
export function referenceFacts(db: Db, zone: string): RefRow[] {
  const rows = db.prepare('SELECT ts, provider, base_model, purpose, campaign_id, operator_id, input_tokens, cached_input_tokens, output_tokens, cost_micros FROM ai_costs').all() as Array<Record<string, number | string | null>>;
  return rows.map((r) => {
    const date = referenceLocalDate(zone, r.ts as number);
    return {
      day: dayNumber(date), month: Number(date.slice(0, 4)) * 100 + Number(date.slice(5, 7)), provider: r.provider as string, model: r.base_model as string, purpose: r.purpose as string,
      campaign_id: (r.campaign_id as string | null) ?? '', operator_id: (r.operator_id as string | null) ?? '', requests: 1, input_tokens: r.input_tokens as number,
      cached_input_tokens: r.cached_input_tokens as number, output_tokens: r.output_tokens as number, cost_micros: r.cost_micros as number,
    };
  });
}

const MEASURES = ['requests', 'input_tokens', 'cached_input_tokens', 'output_tokens', 'cost_micros'] as const;

/** Every rollup table, sorted, as stored (suffix '_next' for the rebuild's set). */
export function storedRollups(db: Db, suffix = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of ROLLUP_TABLES) out[t.name] = (db.prepare(`SELECT * FROM ${t.name}${suffix}`).all() as object[]).map((r) => JSON.stringify(Object.values(r))).sort();
  return out;
}

/** What every rollup table must hold for these facts. */
export function expectedRollups(facts: readonly RefRow[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of ROLLUP_TABLES) {
    const cols = keyColumns(t);
    const groups = new Map<string, (string | number)[]>();
    for (const f of facts) {
      const key = cols.map((c) => f[c as keyof RefRow]);
      const k = JSON.stringify(key);
      const g = groups.get(k) ?? [...key, 0, 0, 0, 0, 0];
      MEASURES.forEach((m, i) => ((g[cols.length + i] as number) += f[m]));
      groups.set(k, g);
    }
    out[t.name] = [...groups.values()].map((g) => JSON.stringify(g)).sort();
  }
  return out;
}
