import type { Migration } from './types';

/**
 * The request log: one row per AI request, written once when the request ends (ai_costs holds
 * only attempts that cost, so failed attempts and the request's outcome had no home). Attempts
 * ride along as JSON: they are only ever read with their request, in the detail view.
 *
 * Pages are read newest first in (ts, seq) order: each index below ends in ts and, being on a
 * rowid table, implicitly in seq, so every filter pages from an index and never scans the table.
 */
export const migration008: Migration = {
  version: 8,
  name: 'ai_requests',
  up: `
    CREATE TABLE ai_requests (
      seq                 INTEGER PRIMARY KEY,
      id                  TEXT NOT NULL UNIQUE,
      ts                  INTEGER NOT NULL,
      purpose             TEXT NOT NULL,
      model_class         TEXT NOT NULL,
      campaign_id         TEXT,
      operator_id         TEXT,
      outcome             TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
      error_kind          TEXT,
      error_detail        TEXT,
      provider            TEXT,
      deployment          TEXT,
      base_model          TEXT,
      attempt_count       INTEGER NOT NULL CHECK (attempt_count >= 0),
      input_tokens        INTEGER NOT NULL CHECK (input_tokens >= 0),
      cached_input_tokens INTEGER NOT NULL CHECK (cached_input_tokens >= 0),
      output_tokens       INTEGER NOT NULL CHECK (output_tokens >= 0),
      cost_micros         INTEGER NOT NULL CHECK (cost_micros >= 0),
      latency_ms          INTEGER NOT NULL CHECK (latency_ms >= 0),
      served_by_fallback  INTEGER NOT NULL CHECK (served_by_fallback IN (0, 1)),
      downgraded          INTEGER NOT NULL CHECK (downgraded IN (0, 1)),
      attempts            TEXT NOT NULL CHECK (json_valid(attempts))
    ) STRICT;
    CREATE INDEX ai_requests_ts ON ai_requests (ts);
    CREATE INDEX ai_requests_provider ON ai_requests (provider, ts);
    CREATE INDEX ai_requests_outcome ON ai_requests (outcome, ts);
    CREATE INDEX ai_requests_purpose ON ai_requests (purpose, ts);
    CREATE INDEX ai_requests_campaign ON ai_requests (campaign_id, ts) WHERE campaign_id IS NOT NULL;
  `,
};
