import type Database from 'better-sqlite3';
import { idToDb } from '../../ledger/ids';
import type { Migration } from './types';

const MEASURES = `requests INTEGER NOT NULL, input_tokens INTEGER NOT NULL, cached_input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL, cost_micros INTEGER NOT NULL`;
const SUMS = 'SUM(requests), SUM(input_tokens), SUM(cached_input_tokens), SUM(output_tokens), SUM(cost_micros)';
const DAY_CAMPAIGN_KEYS = 'day INTEGER NOT NULL, campaign_id TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL';

/**
 * A cheaper ledger write and a smaller ledger (the costs bench: ingest and bytes per row).
 *
 * - ai_costs: UUID ids become 16-byte blobs (main/ledger/ids.ts; other ids stay text, so the
 *   columns are ANY), and the rowid becomes an explicit `seq` so VACUUM can never renumber it:
 *   the zone rebuild's cursor and the ai_cost outbox announcements are ranges of it.
 * - cost_day_all (one row per two or three ledger rows) goes; mixed groupings over partial
 *   months are answered as queries.ts says.
 * - cost_campaign_day (campaign first: every commit dirtied one page per campaign) becomes
 *   cost_day_campaign, day first, without purpose, rows without a campaign under ''; a campaign's
 *   history is found through an index whose entries only change when a key is new.
 * - cost_month_all gets the same campaign index, for a campaign's totals by purpose.
 * - ai_cost outbox rows (one per cost row, by id) become one-row `seq` ranges, the shape the
 *   ledger now announces once per group commit.
 * The new rollups are summed from cost_day_all (and its _next twin, so a rebuild under way
 * carries on where it was): same zone, same rows, nothing recounted.
 */
function up(db: Database.Database): void {
  db.function('huntaze_id_006', { deterministic: true }, (id: unknown) => (typeof id === 'string' ? idToDb(id) : id) as string | Buffer);
  db.exec(`
    CREATE TABLE ai_costs_006 (
      seq                 INTEGER PRIMARY KEY,
      id                  ANY NOT NULL UNIQUE,
      request_id          ANY NOT NULL,
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
    INSERT INTO ai_costs_006 (seq, id, request_id, attempt, ts, provider, deployment, base_model, purpose, campaign_id, operator_id,
        input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source)
      SELECT rowid, huntaze_id_006(id), huntaze_id_006(request_id), attempt, ts, provider, deployment, base_model, purpose, campaign_id, operator_id,
        input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source
      FROM ai_costs ORDER BY rowid;
    DROP TABLE ai_costs;
    ALTER TABLE ai_costs_006 RENAME TO ai_costs;

    -- Announcements written by id before this version become the one-row ranges the consumer now reads.
    UPDATE outbox SET key = 'seq:' || c.seq, payload = json_object('fromSeq', c.seq, 'toSeq', c.seq)
      FROM (SELECT seq, id FROM ai_costs) AS c
      WHERE outbox.topic = 'ai_cost' AND c.id = huntaze_id_006(outbox.payload ->> '$.costId');
  `);
  for (const suffix of ['', '_next']) {
    db.exec(`
      CREATE TABLE cost_day_campaign${suffix} (${DAY_CAMPAIGN_KEYS}, ${MEASURES}, PRIMARY KEY (day, campaign_id, provider, model)) STRICT, WITHOUT ROWID;
      INSERT INTO cost_day_campaign${suffix} SELECT day, campaign_id, provider, model, ${SUMS} FROM cost_day_all${suffix} GROUP BY day, campaign_id, provider, model;
      DROP TABLE cost_campaign_day${suffix};
    `);
  }
  // Only the live set is read by campaign; the _next set is only ever copied whole.
  db.exec(`
    CREATE INDEX cost_day_campaign_by_campaign ON cost_day_campaign (campaign_id, day);
    CREATE INDEX cost_month_all_by_campaign ON cost_month_all (campaign_id, month);
  `);
}

export const migration006: Migration = { version: 6, name: 'cost_rollups_compact', up };
