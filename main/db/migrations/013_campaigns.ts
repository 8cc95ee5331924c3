import type { Migration } from './types';

/**
 * Campaigns, their recipients and each creator account's persona. CHECKs repeat the zod rules
 * as a last line, so a bad row cannot reach the generator or the send queue.
 *
 * - `campaigns.account_id` has no foreign key: removing an account must keep its campaigns'
 *   history (as `sends` does). A persona belongs to its account and goes with it.
 * - One recipient row per (campaign, fan): the per-recipient table reads it by status, and
 *   `send_id` ties a row to its send in the queue (`sends.id`), set once when it is queued.
 * - The audience is JSON kept verbatim (a segment definition or a segment id).
 */
export const migration013: Migration = {
  version: 13,
  name: 'campaigns',
  up: `
    CREATE TABLE campaigns (
      -- Insertion order, for the list: UUIDv7s minted within one millisecond are not ordered.
      seq              INTEGER PRIMARY KEY,
      id               TEXT NOT NULL UNIQUE,
      name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
      type             TEXT NOT NULL CHECK (type IN ('mass_message', 'ppv_offer', 'welcome', 're_engagement', 'custom')),
      account_id       TEXT,
      audience         TEXT CHECK (audience IS NULL OR json_valid(audience)),
      template         TEXT NOT NULL DEFAULT '',
      price_micros     INTEGER CHECK (price_micros IS NULL OR price_micros >= 0),
      media_refs       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(media_refs)),
      personalization  TEXT NOT NULL CHECK (personalization IN ('template', 'ai_batched', 'ai_variants')),
      variants         INTEGER NOT NULL DEFAULT 2 CHECK (variants BETWEEN 2 AND 4),
      start_at         INTEGER,
      state            TEXT NOT NULL CHECK (state IN ('draft', 'ready', 'queued', 'sending', 'paused', 'done', 'cancelled')),
      archived_at      INTEGER,
      created_at       INTEGER NOT NULL,
      updated_at       INTEGER NOT NULL,
      state_changed_at INTEGER NOT NULL
    ) STRICT;
    -- The list: newest first, the archive apart, optionally by state.
    CREATE INDEX campaigns_list ON campaigns (archived_at IS NOT NULL, seq);
    CREATE INDEX campaigns_state ON campaigns (state, seq);

    CREATE TABLE campaign_recipients (
      campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      fan_id      TEXT NOT NULL,
      status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'generated', 'blocked', 'queued', 'sent', 'failed', 'unknown')),
      -- blocked: the restricted word; failed: the send's reason.
      reason      TEXT,
      text        TEXT,
      -- Who wrote the text: the AI, or the template renderer (AI unreachable, over budget or garbled).
      source      TEXT CHECK (source IS NULL OR source IN ('ai', 'template')),
      variant     INTEGER CHECK (variant IS NULL OR variant BETWEEN 0 AND 3),
      send_id     TEXT UNIQUE,
      updated_at  INTEGER NOT NULL,
      PRIMARY KEY (campaign_id, fan_id),
      CHECK (status <> 'blocked' OR reason IS NOT NULL)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX campaign_recipients_status ON campaign_recipients (campaign_id, status, fan_id);

    CREATE TABLE account_personas (
      account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
      persona    TEXT NOT NULL DEFAULT '' CHECK (length(persona) <= 2000),
      voice      TEXT NOT NULL DEFAULT '' CHECK (length(voice) <= 500),
      updated_at INTEGER NOT NULL
    ) STRICT;
  `,
};
