import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../main/db/open';
import { migrations } from '../../../../main/db/migrations';
import { useTempDirs } from '../../../support/tmp';

describe('migration 001: settings', () => {
  const tempDir = useTempDirs();

  it('creates a STRICT settings table and moves user_version to 1', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    expect(migrate(db, migrations.slice(0, 1))).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const sql = (db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'settings'").get() as { sql: string }).sql;
    expect(sql).toMatch(/STRICT/);
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('theme', '"dark"', 1);
    // STRICT refuses a text timestamp; the CHECK refuses a value that is not JSON.
    expect(() => db.prepare('INSERT INTO settings VALUES (?, ?, ?)').run('a', '"x"', 'yesterday')).toThrow(/cannot store TEXT/);
    expect(() => db.prepare('INSERT INTO settings VALUES (?, ?, ?)').run('b', 'not json', 1)).toThrow(/CHECK constraint/);
    db.close();
  });

  it('is not applied twice', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, 1));
    expect(migrate(db, migrations.slice(0, 1))).toBe(1);
    db.close();
  });
});
