import type Database from 'better-sqlite3';
import type { Migration } from './types';

const MEASURES = `requests INTEGER NOT NULL, input_tokens INTEGER NOT NULL, cached_input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL, cost_micros INTEGER NOT NULL`;
const SUMS = 'COUNT(*), SUM(input_tokens), SUM(cached_input_tokens), SUM(output_tokens), SUM(cost_micros)';

/**
 * Frozen copy of the rollup tables as 004 made them (main/costs/rollups.ts describes them for the
 * code; a test checks both agree). Each answers one question; `day` is the local day number in
 * the zone of `cost_rollup_state`, `month` is year * 100 + month.
 */
const TABLES: ReadonlyArray<{ name: string; keys: string; utcKeys: string; where?: string }> = [
  { name: 'cost_day_model', keys: 'day INTEGER NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL', utcKeys: 'ts / 86400000, provider, base_model' },
  { name: 'cost_day_purpose', keys: 'day INTEGER NOT NULL, purpose TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL', utcKeys: 'ts / 86400000, purpose, provider, base_model' },
  { name: 'cost_day_operator', keys: 'day INTEGER NOT NULL, operator_id TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL', utcKeys: "ts / 86400000, COALESCE(operator_id, ''), provider, base_model" },
  {
    name: 'cost_campaign_day',
    keys: 'campaign_id TEXT NOT NULL, day INTEGER NOT NULL, purpose TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL',
    utcKeys: 'campaign_id, ts / 86400000, purpose, provider, base_model',
    where: 'campaign_id IS NOT NULL',
  },
  {
    name: 'cost_day_all',
    keys: 'day INTEGER NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, purpose TEXT NOT NULL, campaign_id TEXT NOT NULL, operator_id TEXT NOT NULL',
    utcKeys: "ts / 86400000, provider, base_model, purpose, COALESCE(campaign_id, ''), COALESCE(operator_id, '')",
  },
  {
    name: 'cost_month_all',
    keys: 'month INTEGER NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, purpose TEXT NOT NULL, campaign_id TEXT NOT NULL, operator_id TEXT NOT NULL',
    utcKeys: "CAST(strftime('%Y%m', ts / 1000, 'unixepoch') AS INTEGER), provider, base_model, purpose, COALESCE(campaign_id, ''), COALESCE(operator_id, '')",
  },
];

const keyNames = (keys: string) => keys.split(',').map((k) => k.trim().split(' ')[0]!).join(', ');

/**
 * Rollups per question in the agency's local time, replacing the one UTC rollup keyed by
 * day × provider × model × campaign × operator (which barely aggregated). Each table has a
 * `_next` twin where a time-zone change rebuilds history while the current tables keep
 * answering. The history is bucketed here in UTC (what the old rollups used); the ledger re-buckets
 * it into the configured zone at open, with progress.
 *
 * ai_costs loses its stored day and month strings (buckets are the rollups' business now) and the
 * ts and campaign indexes no query uses any more; every row and its rowid are kept.
 */
function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE ai_costs_004 (
      id                  TEXT PRIMARY KEY NOT NULL,
      request_id          TEXT NOT NULL,
      attempt             INTEGER NOT NULL CHECK (attempt >= 1),
      ts                  INTEGER NOT NULL,
      provider            TEXT NOT NULL,
      deployment          TEXT NOT NULL,
      base_model          TEXT NOT NULL,
      purpose             TEXT NOT NULL,
      campaign_id         TEXT,
      operator_id         TEXT,
      input_tokens        INTEGER NOT NULL CHECK (input_tokens >= 0),
      cached_input_tokens INTEGER NOT NULL CHECK (cached_input_tokens >= 0 AND cached_input_tokens <= input_tokens),
      output_tokens       INTEGER NOT NULL CHECK (output_tokens >= 0),
      cost_micros         INTEGER NOT NULL CHECK (cost_micros >= 0),
      latency_ms          INTEGER NOT NULL CHECK (latency_ms >= 0),
      status              TEXT NOT NULL,
      price_source        TEXT NOT NULL CHECK (price_source IN ('table', 'override', 'unpriced')),
      UNIQUE (request_id, attempt)
    ) STRICT;
    INSERT INTO ai_costs_004 (rowid, id, request_id, attempt, ts, provider, deployment, base_model, purpose, campaign_id, operator_id,
        input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source)
      SELECT rowid, id, request_id, attempt, ts, provider, deployment, base_model, purpose, campaign_id, operator_id,
        input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source
      FROM ai_costs ORDER BY rowid;
    DROP TABLE ai_costs;
    ALTER TABLE ai_costs_004 RENAME TO ai_costs;
    DROP TABLE ai_cost_rollups;

    CREATE TABLE cost_rollup_state (
      id          INTEGER PRIMARY KEY CHECK (id = 1),
      zone        TEXT NOT NULL,
      -- While a rebuild runs: the zone the _next tables are built for, the last ai_costs rowid
      -- folded in, and the highest rowid that existed when it started (later rows are written
      -- to the _next tables by the ledger itself).
      target_zone TEXT,
      cursor      INTEGER,
      high        INTEGER,
      CHECK ((target_zone IS NULL) = (cursor IS NULL) AND (cursor IS NULL) = (high IS NULL))
    ) STRICT;
    INSERT INTO cost_rollup_state (id, zone) VALUES (1, 'UTC');
  `);
  for (const t of TABLES) {
    const pk = keyNames(t.keys);
    for (const name of [t.name, `${t.name}_next`]) {
      db.exec(`CREATE TABLE ${name} (${t.keys}, ${MEASURES}, PRIMARY KEY (${pk})) STRICT, WITHOUT ROWID`);
    }
    db.exec(`INSERT INTO ${t.name} (${pk}, requests, input_tokens, cached_input_tokens, output_tokens, cost_micros)
      SELECT ${t.utcKeys}, ${SUMS} FROM ai_costs ${t.where ? `WHERE ${t.where}` : ''} GROUP BY ${t.utcKeys}`);
  }
}

export const migration004: Migration = { version: 4, name: 'cost_rollups', up };
