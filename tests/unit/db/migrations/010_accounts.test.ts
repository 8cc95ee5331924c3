import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { useTempDirs } from '../../../support/tmp';

const account = (overrides: Record<string, unknown> = {}) => ({
  id: 'a1', name: 'Mia', platform_account_id: 'mia', transport: 'export', base_url: null, per_minute: 10, min_spacing_s: 3, burst: 1,
  colour: 'sky', initial: null, created_at: 1, updated_at: 1, ...overrides,
});
const INSERT = `INSERT INTO accounts (id, name, platform_account_id, transport, base_url, per_minute, min_spacing_s, burst, colour, initial, created_at, updated_at)
  VALUES (@id, @name, @platform_account_id, @transport, @base_url, @per_minute, @min_spacing_s, @burst, @colour, @initial, @created_at, @updated_at)`;
const upTo = (version: number) => migrations.filter((m) => m.version <= version);

describe('migration 010: creator accounts and restricted words', () => {
  const tempDir = useTempDirs();

  it('upgrades the previous schema, leaving the ledger untouched', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    const previous = upTo(9);
    migrate(db, previous);
    const before = db.prepare('SELECT COUNT(*) FROM ai_costs').pluck().get();
    expect(migrate(db, upTo(10))).toBe(10);
    expect(db.prepare('SELECT COUNT(*) FROM ai_costs').pluck().get()).toBe(before);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('accounts', 'restricted_words') ORDER BY name").pluck().all();
    expect(tables).toEqual(['accounts', 'restricted_words']);
    db.close();
  });

  it('guards rows: one account per platform id, a known transport, limits within bounds, integers only', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, upTo(10));
    db.prepare(INSERT).run(account());
    expect(() => db.prepare(INSERT).run(account({ id: 'a2' }))).toThrow(/UNIQUE/);
    expect(() => db.prepare(INSERT).run(account({ id: 'a3', platform_account_id: 'x3', transport: 'smtp' }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(account({ id: 'a4', platform_account_id: 'x4', per_minute: 0 }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(account({ id: 'a5', platform_account_id: 'x5', burst: 11 }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(account({ id: 'a6', platform_account_id: 'x6', min_spacing_s: 1.5 }))).toThrow(/cannot store REAL/);
    expect(() => db.prepare(INSERT).run(account({ id: 'a7', platform_account_id: 'x7', name: '' }))).toThrow(/CHECK/);
    db.close();
  });
});
