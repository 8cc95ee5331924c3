import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Budgets } from '../../main/budgets/budgets';
import { forecastCosts } from '../../main/costs/handlers';
import { CostQueries } from '../../main/costs/queries';
import { ROLLUP_TABLES } from '../../main/costs/rollups';
import { CORE_PRAGMAS, openDatabase } from '../../main/db/open';
import { idToDb, type StoredId } from '../../main/ledger/ids';
import { type CostRow, Ledger } from '../../main/ledger/ledger';
import { createOutbox } from '../../main/outbox';
import { manualClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { breakdownInputSchema, isoDay } from '../../shared/costs';
import { round, type Suite } from '../harness';
import { forecastBenchLines } from './forecast';

/** `npm run bench -- costs --rows 1000000` or HUNTAZE_BENCH_COST_ROWS; 10 million by default. */
function rowCount(): number {
  const i = process.argv.indexOf('--rows');
  const n = Number(i >= 0 ? process.argv[i + 1] : (process.env.HUNTAZE_BENCH_COST_ROWS ?? 10_000_000));
  if (!Number.isInteger(n) || n < 10_000) throw new Error('costs bench: --rows must be an integer ≥ 10000');
  return n;
}

const ZONE = 'America/New_York';
const NOW = Date.UTC(2026, 10, 26, 17);
const SPAN_MS = 396 * 86_400_000; // 13 months
const BATCH = 200; // a busy group commit
const ROUND_ROWS = 100_000;
const PROVIDERS = [['azure', 'gpt-4o', 'gpt-4o-mini'], ['openai', 'gpt-4.1', 'o4-mini'], ['anthropic', 'claude-sonnet-4', 'claude-haiku-4'], ['local', 'llama-3.1-70b', 'qwen-2.5-32b']] as const;
const PURPOSES = ['personalize', 'personalize', 'personalize', 'copy', 'reply', 'reply', 'analysis'] as const;

/** Deterministic: the same rows every run (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUIDv7-shaped id (what the orchestrator writes): time-ordered, 36 characters. */
function uuid7(ts: number, r: () => number): string {
  const hex = (n: number, w: number) => Math.floor(n).toString(16).padStart(w, '0');
  const t = hex(ts, 12);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(r() * 0xfff, 3)}-${hex(0x8000 + r() * 0x3fff, 4)}-${hex(r() * 0xffffff, 6)}${hex(r() * 0xffffff, 6)}`;
}

/**
 * Realistic rows: 200 campaigns, each run by one of 50 operators on one provider with its two
 * models; purposes weighted towards personalization; spend grows over 13 months with a weekly
 * dip; timestamps in order, as the ledger sees them.
 */
function* generate(n: number): Generator<CostRow> {
  const r = rng(42);
  const start = NOW - SPAN_MS;
  for (let i = 0; i < n; i++) {
    const ts = Math.floor(start + (SPAN_MS * i) / n);
    const campaign = Math.floor(r() * r() * 200);
    const [provider, m1, m2] = PROVIDERS[campaign % 4]!;
    const input = 200 + Math.floor(r() * 3000);
    const id = uuid7(ts, r);
    yield {
      id, requestId: uuid7(ts, r), attempt: 1, ts, provider: provider as CostRow['provider'], deployment: `${provider}-prod`, baseModel: r() < 0.7 ? m1 : m2,
      purpose: PURPOSES[Math.floor(r() * PURPOSES.length)]!, campaignId: r() < 0.9 ? `cmp-${campaign}` : null, operatorId: `op-${campaign % 50}`,
      usage: { inputTokens: input, cachedInputTokens: Math.floor(input * r() * 0.5), outputTokens: 50 + Math.floor(r() * 600) },
      costMicros: 100 + Math.floor(r() * 20_000), latencyMs: 200 + Math.floor(r() * 3000), status: 'ok', priceSource: 'table',
    };
  }
}

export const costsSuite: Suite = {
  description: 'cost ledger: ingest with rollups and budget evaluation vs raw inserts, query p99 (stats, breakdown, series, campaign, forecast), bytes per row, forecast backtest',
  async run(report) {
    const total = rowCount();
    const dir = mkdtempSync(join(tmpdir(), 'huntaze-bench-costs-'));
    const started = performance.now();
    try {
      const db = openDatabase(join(dir, 'ledger.db'));
      const clock = manualClock(NOW);
      // As in the app: every commit goes through the budget evaluator (agency, provider and campaign budgets).
      const outbox = createOutbox({ db, clock, logger: silentLogger });
      const budgets = new Budgets({ db, clock, logger: silentLogger, outbox, profile: 'live', channels: () => ['os'] });
      const threshold = { levels: [50, 80, 100], hardStop: 'none' as const };
      budgets.setModel({
        thresholds: [
          { ...threshold, id: 'all-day', scope: 'global', target: null, period: 'day', amountMicros: 50_000_000 },
          { ...threshold, id: 'all-month', scope: 'global', target: null, period: 'month', amountMicros: 1_000_000_000 },
          ...(['azure', 'openai', 'local'] as const).map((provider) => ({ ...threshold, id: `p-${provider}`, scope: 'provider' as const, target: provider, period: 'month' as const, amountMicros: 300_000_000 })),
          ...Array.from({ length: 10 }, (_, i) => ({ ...threshold, id: `c-${i}`, scope: 'campaign' as const, target: `cmp-${i}`, period: 'month' as const, amountMicros: 20_000_000 })),
        ],
      });
      const ledger = new Ledger(db, clock, outbox, { timeZone: ZONE, onRows: (rows) => budgets.evaluator.committed(rows) });
      budgets.attach(ledger);
      await ledger.rebuilt();
      // The baseline: the very same ai_costs table (copied from the schema) on the same pragmas, plain inserts.
      const raw = new Database(join(dir, 'raw.db'));
      for (const p of CORE_PRAGMAS) raw.pragma(p);
      raw.exec(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'ai_costs'").pluck().get() as string);
      const rawInsert = raw.prepare(`INSERT INTO ai_costs (id, request_id, attempt, ts, provider, deployment, base_model, purpose, campaign_id, operator_id,
        input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      // The same stored values as the ledger's (UUIDs as blobs), encoded before the clock starts.
      const rawBatch = raw.transaction((rows: CostRow[], ids: StoredId[][]) => {
        for (let i = 0; i < rows.length; i++) {
          const c = rows[i]!;
          rawInsert.run(ids[i]![0], ids[i]![1], c.attempt, c.ts, c.provider, c.deployment, c.baseModel, c.purpose, c.campaignId, c.operatorId, c.usage.inputTokens, c.usage.cachedInputTokens, c.usage.outputTokens, c.costMicros, c.latencyMs, c.status, c.priceSource);
        }
      });

      let ledgerMs = 0;
      let rawMs = 0;
      const rows = generate(total);
      for (let written = 0, round_ = 0; written < total; round_++) {
        const chunk: CostRow[] = [];
        for (let i = 0; i < ROUND_ROWS && written + i < total; i++) chunk.push(rows.next().value as CostRow);
        written += chunk.length;
        const viaLedger = async () => {
          const t0 = performance.now();
          for (let i = 0; i < chunk.length; i += BATCH) {
            const done = chunk.slice(i, i + BATCH).map((c) => ledger.record(c));
            ledger.flush();
            await Promise.all(done);
          }
          // The rollups trail the ledger: the round is done when they hold every row it wrote.
          ledger.settle();
          ledgerMs += performance.now() - t0;
        };
        const ids = chunk.map((c) => [idToDb(c.id), idToDb(c.requestId)]);
        const viaRaw = () => {
          const t0 = performance.now();
          for (let i = 0; i < chunk.length; i += BATCH) rawBatch(chunk.slice(i, i + BATCH), ids.slice(i, i + BATCH));
          rawMs += performance.now() - t0;
        };
        // Alternated, so neither side always writes while the other's pages are still warm.
        if (round_ % 2 === 0) {
          await viaLedger();
          viaRaw();
        } else {
          viaRaw();
          await viaLedger();
        }
      }
      process.stdout.write(`# ingested ${total} rows: ledger ${round(ledgerMs / 1000, 1)} s, raw ${round(rawMs / 1000, 1)} s\n`);

      const queries = new CostQueries(db, clock, ledger);
      const today = ledger.calendar.localDay(NOW);
      const d = (n: number) => isoDay(today - n);
      const asks: Array<() => unknown> = [
        () => queries.stats(),
        () => queries.breakdown(breakdownInputSchema.parse({ groupBy: ['provider', 'model'], from: d(29), to: d(0) })),
        () => queries.breakdown(breakdownInputSchema.parse({ groupBy: ['campaign'], from: d(29), to: d(0), top: 10 })),
        () => queries.breakdown(breakdownInputSchema.parse({ groupBy: ['campaign', 'purpose'], from: d(364), to: d(0), top: 20 })),
        () => queries.breakdown(breakdownInputSchema.parse({ groupBy: ['operator'], from: d(89), to: d(0), top: 50 })),
        () => queries.breakdown(breakdownInputSchema.parse({ groupBy: ['model'], from: d(395), to: d(0), filters: { campaign: 'cmp-7' } })),
        () => queries.series({ from: d(89), to: d(0), byModel: true }),
        () => queries.campaign(`cmp-${Math.floor(Math.random() * 200)}`),
        // costs.forecast as the app answers it: the agency-wide forecast and one per provider and campaign budget.
        () => forecastCosts(queries, budgets.model(), budgets.evaluator.spend),
      ];
      const times: number[] = [];
      for (let i = 0; i < 2000; i++) {
        const ask = asks[i % asks.length]!;
        const t0 = performance.now();
        ask();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      report({ name: 'costs.query_p99_ms', value: round(times[Math.floor(times.length * 0.99)]!, 3), unit: 'ms', target: '<= 10' });
      report({ name: 'costs.ingest_ratio', value: round(rawMs / ledgerMs, 3), unit: 'x', target: '>= 0.5' });
      const bytes = db.prepare("SELECT SUM(pgsize) FROM dbstat WHERE name = 'ai_costs' OR name IN (SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'ai_costs')").pluck().get() as number;
      report({ name: 'costs.bytes_per_row', value: round(bytes / total, 1), unit: 'B', target: '<= 200' });
      for (const line of forecastBenchLines()) report(line);
      const rollupRows = ROLLUP_TABLES.map((t) => t.name)
        .map((t) => `${t}=${db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number}`);
      process.stdout.write(`# rollup rows: ${rollupRows.join(' ')}; whole run ${round((performance.now() - started) / 1000, 1)} s\n`);
      raw.close();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
