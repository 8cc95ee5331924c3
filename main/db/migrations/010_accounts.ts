import type { Migration } from './types';

/**
 * Creator accounts and the agency's restricted words. The transport's API key is not here: it
 * lives in the SecretStore under `account.<id>.apiKey`, so this table never holds a secret.
 * Limits carry CHECKs as a last line behind the zod rules, so a bad row cannot reach the limiter.
 */
export const migration010: Migration = {
  version: 10,
  name: 'accounts',
  up: `
    CREATE TABLE accounts (
      id                  TEXT PRIMARY KEY,
      name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
      platform_account_id TEXT NOT NULL UNIQUE,
      transport           TEXT NOT NULL CHECK (transport IN ('onlyfans_http', 'export', 'sandbox')),
      base_url            TEXT,
      per_minute          INTEGER NOT NULL CHECK (per_minute BETWEEN 1 AND 60),
      min_spacing_s       INTEGER NOT NULL CHECK (min_spacing_s BETWEEN 1 AND 3600),
      burst               INTEGER NOT NULL CHECK (burst BETWEEN 1 AND 10),
      colour              TEXT NOT NULL,
      initial             TEXT,
      created_at          INTEGER NOT NULL,
      updated_at          INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE restricted_words (
      word       TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL
    ) STRICT;
  `,
};
