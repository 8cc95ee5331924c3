import type { Migration } from './types';

export const migration001: Migration = {
  version: 1,
  name: 'settings',
  up: `
    CREATE TABLE settings (
      key        TEXT PRIMARY KEY NOT NULL,
      value      TEXT NOT NULL CHECK (json_valid(value)),
      updated_at INTEGER NOT NULL
    ) STRICT;
  `,
};
