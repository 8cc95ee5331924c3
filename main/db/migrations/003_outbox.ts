import type { Migration } from './types';

/**
 * The one outbox every side effect leaving the machine rides on (alerts, team sync, sending).
 * A row is identified by (topic, key) so enqueueing twice is a no-op; `pending` rows are due at
 * `next_attempt_at`, and a relay's claim sets a lease by pushing `next_attempt_at` to
 * `lease_until`, so a crashed relay's rows fall due again by themselves when the lease ends.
 *
 * Migration 002 wrote 'ai_cost' rows whose payload was the whole cost row: that row already lives
 * in ai_costs, so the payload becomes just its id.
 */
export const migration003: Migration = {
  version: 3,
  name: 'outbox',
  up: `
    ALTER TABLE outbox RENAME TO outbox_v2;

    CREATE TABLE outbox (
      id               INTEGER PRIMARY KEY,
      topic            TEXT NOT NULL CHECK (length(topic) BETWEEN 1 AND 64),
      key              TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
      payload          TEXT NOT NULL CHECK (json_valid(payload)),
      state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
      created_at       INTEGER NOT NULL,
      next_attempt_at  INTEGER NOT NULL,
      attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      lease_owner      TEXT,
      lease_until      INTEGER,
      last_error       TEXT,
      delivered_at     INTEGER,
      dead_at          INTEGER,
      UNIQUE (topic, key),
      CHECK ((lease_owner IS NULL) = (lease_until IS NULL)),
      CHECK (state = 'pending' OR lease_owner IS NULL),
      CHECK ((state = 'delivered') = (delivered_at IS NOT NULL)),
      CHECK ((state = 'dead') = (dead_at IS NOT NULL))
    ) STRICT;

    INSERT INTO outbox (topic, key, payload, state, created_at, next_attempt_at, attempts, delivered_at)
      SELECT topic,
             id,
             CASE WHEN topic = 'ai_cost' THEN json_object('costId', id) ELSE payload END,
             CASE WHEN sent_at IS NULL THEN 'pending' ELSE 'delivered' END,
             created_at,
             created_at,
             attempts,
             sent_at
      FROM outbox_v2
      ORDER BY created_at, id;

    DROP TABLE outbox_v2;

    CREATE INDEX outbox_due ON outbox (topic, next_attempt_at) WHERE state = 'pending';
    CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE state = 'delivered';
  `,
};
