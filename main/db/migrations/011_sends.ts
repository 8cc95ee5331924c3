import type { Migration } from './types';

/**
 * The send queue (main/messaging/queue). A send is a row from the moment it is queued: it moves
 * to `sending` in the same transaction that persists the limiter's grant, before the transport
 * is called, so after a kill -9 a row left in `sending` is exactly a send that may have gone out
 * and is reconciled through `client_ref`, never sent again blindly. No foreign key to `accounts`:
 * removing an account must leave its history (and fail its queued sends), not delete it.
 */
export const migration011: Migration = {
  version: 11,
  name: 'sends',
  up: `
    CREATE TABLE sends (
      seq             INTEGER PRIMARY KEY,
      id              TEXT NOT NULL UNIQUE,
      idempotency_key TEXT NOT NULL UNIQUE,
      client_ref      TEXT NOT NULL,
      job_id          TEXT NOT NULL,
      account_id      TEXT NOT NULL,
      chat_id         TEXT NOT NULL,
      text            TEXT NOT NULL,
      price_micros    INTEGER CHECK (price_micros IS NULL OR price_micros >= 0),
      media_ids       TEXT NOT NULL DEFAULT '[]',
      state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled')),
      reason          TEXT,
      attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      -- attempts made before the operator's last retry: the budget counts from here.
      attempt_base    INTEGER NOT NULL DEFAULT 0,
      -- how the current or last attempt left: 'api' (a transport) or 'export' (handed to the operator).
      via             TEXT CHECK (via IS NULL OR via IN ('api', 'export')),
      not_before      INTEGER,
      remote_id       TEXT,
      created_at      INTEGER NOT NULL,
      updated_at      INTEGER NOT NULL,
      sent_at         INTEGER
    ) STRICT;
    -- The scheduler's pick: an account's queued sends by job, FIFO within a job.
    CREATE INDEX sends_pick ON sends (account_id, state, job_id, seq);
    -- Stats: sends per account in the last minute, hour and day.
    CREATE INDEX sends_sent ON sends (account_id, sent_at) WHERE sent_at IS NOT NULL;
    CREATE INDEX sends_state ON sends (state, account_id);
    CREATE INDEX sends_job ON sends (job_id, state);

    -- Paused accounts and jobs; a send is held while its account or its job is here.
    CREATE TABLE send_pauses (
      scope      TEXT NOT NULL CHECK (scope IN ('account', 'job')),
      key        TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (scope, key)
    ) STRICT, WITHOUT ROWID;

    -- Each time the platform (429) or a shared limiter layer made an account wait: the stats' "throttled".
    CREATE TABLE send_throttles (
      account_id TEXT NOT NULL,
      at         INTEGER NOT NULL,
      source     TEXT NOT NULL CHECK (source IN ('platform', 'operator', 'global'))
    ) STRICT;
    CREATE INDEX send_throttles_at ON send_throttles (account_id, at);
  `,
};
