import type { Migration } from './types';

/**
 * The rate limiter's persisted state (main/limits). One row per rule and key holding its GCRA
 * theoretical arrival time, on the limiter's own timeline (virtual ms, not wall time), plus one
 * row tying that timeline to the wall clock at the last save, so a restart resumes the timeline
 * instead of granting a fresh window. Rows are written in the caller's send transaction.
 */
export const migration009: Migration = {
  version: 9,
  name: 'limiter_state',
  up: `
    CREATE TABLE limiter_state (
      rule TEXT NOT NULL,
      key  TEXT NOT NULL,
      tat  REAL NOT NULL,
      PRIMARY KEY (rule, key)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE limiter_clock (
      id         INTEGER PRIMARY KEY CHECK (id = 1),
      virtual_ms REAL NOT NULL,
      wall_ms    REAL NOT NULL
    ) STRICT;
  `,
};
