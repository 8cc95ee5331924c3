import type { Migration } from './types';

/**
 * The AI cost ledger, its rollups, the outbox that feeds the team-wide layer, secrets
 * (ciphertext only) and the AI configuration (providers, routing policy).
 */
export const migration002: Migration = {
  version: 2,
  name: 'ai_ledger',
  up: `
    CREATE TABLE ai_costs (
      id                  TEXT PRIMARY KEY NOT NULL,
      request_id          TEXT NOT NULL,
      attempt             INTEGER NOT NULL CHECK (attempt >= 1),
      ts                  INTEGER NOT NULL,
      day                 TEXT NOT NULL,
      month               TEXT NOT NULL,
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
    CREATE INDEX ai_costs_ts ON ai_costs (ts);
    CREATE INDEX ai_costs_campaign ON ai_costs (campaign_id) WHERE campaign_id IS NOT NULL;

    CREATE TABLE ai_cost_rollups (
      period              TEXT NOT NULL CHECK (period IN ('day', 'month')),
      bucket              TEXT NOT NULL,
      provider            TEXT NOT NULL,
      model               TEXT NOT NULL,
      campaign_id         TEXT NOT NULL DEFAULT '',
      operator_id         TEXT NOT NULL DEFAULT '',
      requests            INTEGER NOT NULL,
      input_tokens        INTEGER NOT NULL,
      cached_input_tokens INTEGER NOT NULL,
      output_tokens       INTEGER NOT NULL,
      cost_micros         INTEGER NOT NULL,
      PRIMARY KEY (period, bucket, provider, model, campaign_id, operator_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE outbox (
      id          TEXT PRIMARY KEY NOT NULL,
      topic       TEXT NOT NULL,
      payload     TEXT NOT NULL CHECK (json_valid(payload)),
      created_at  INTEGER NOT NULL,
      attempts    INTEGER NOT NULL DEFAULT 0,
      sent_at     INTEGER
    ) STRICT;
    CREATE INDEX outbox_pending ON outbox (created_at) WHERE sent_at IS NULL;

    CREATE TABLE secrets (
      name        TEXT PRIMARY KEY NOT NULL,
      ciphertext  BLOB NOT NULL,
      updated_at  INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE ai_config (
      key         TEXT PRIMARY KEY NOT NULL,
      value       TEXT NOT NULL CHECK (json_valid(value)),
      updated_at  INTEGER NOT NULL
    ) STRICT;
  `,
};
