import type { Migration } from './types';

/**
 * Fans per creator account, one row per (account, platform fan id), so a re-import or a fetch
 * updates rather than duplicates. Tags get their own table (NOCASE, so "VIP" and "vip" are one
 * tag) so that "has tag" is an index lookup. The indexes serve the segment criteria: spend
 * tiers, subscription and expiry windows, each scoped to one account.
 */
export const migration012: Migration = {
  version: 12,
  name: 'audiences',
  up: `
    CREATE TABLE fans (
      account_id         TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      fan_id             TEXT NOT NULL CHECK (length(fan_id) BETWEEN 1 AND 200),
      name               TEXT CHECK (name IS NULL OR length(name) <= 200),
      display_name       TEXT CHECK (display_name IS NULL OR length(display_name) <= 200),
      total_spend_micros INTEGER NOT NULL DEFAULT 0 CHECK (total_spend_micros >= 0),
      subscribed_at      INTEGER,
      expires_at         INTEGER,
      source             TEXT NOT NULL CHECK (source IN ('csv', 'platform')),
      created_at         INTEGER NOT NULL,
      updated_at         INTEGER NOT NULL,
      PRIMARY KEY (account_id, fan_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX fans_spend ON fans (account_id, total_spend_micros);
    CREATE INDEX fans_subscribed ON fans (account_id, subscribed_at);
    CREATE INDEX fans_expires ON fans (account_id, expires_at);
    CREATE TABLE fan_tags (
      account_id TEXT NOT NULL,
      fan_id     TEXT NOT NULL,
      tag        TEXT NOT NULL COLLATE NOCASE CHECK (length(tag) BETWEEN 1 AND 50),
      PRIMARY KEY (account_id, fan_id, tag),
      FOREIGN KEY (account_id, fan_id) REFERENCES fans (account_id, fan_id) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX fan_tags_by_tag ON fan_tags (account_id, tag);
  `,
};
