import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { useTempDirs } from '../../../support/tmp';

const upTo = (version: number) => migrations.filter((m) => m.version <= version);
const ACCOUNT = `INSERT INTO accounts (id, name, platform_account_id, transport, per_minute, min_spacing_s, burst, colour, created_at, updated_at)
  VALUES ('a1', 'Mia', 'mia', 'sandbox', 10, 3, 1, 'sky', 1, 1)`;
const FAN = `INSERT INTO fans (account_id, fan_id, total_spend_micros, source, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1)`;

describe('migration 012: audiences', () => {
  const tempDir = useTempDirs();

  it('upgrades the previous schema, keeping accounts and sends', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, upTo(11));
    db.prepare(ACCOUNT).run();
    expect(migrate(db, upTo(12))).toBe(12);
    expect(db.prepare('SELECT name FROM accounts').pluck().all()).toEqual(['Mia']);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'fan%' ORDER BY name").pluck().all();
    expect(tables).toEqual(['fan_tags', 'fans']);
    db.close();
  });

  it('one fan per account and fan id, integer non-negative spend, known sources; tags are case-insensitive and go with their fan and account', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, upTo(12));
    db.pragma('foreign_keys = ON');
    db.prepare(ACCOUNT).run();
    db.prepare(FAN).run('a1', 'f1', 0, 'csv');
    expect(() => db.prepare(FAN).run('a1', 'f1', 0, 'csv')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.prepare(FAN).run('a1', 'f2', -1, 'csv')).toThrow(/CHECK/);
    expect(() => db.prepare(FAN).run('a1', 'f3', 1.5, 'csv')).toThrow(/cannot store REAL/);
    expect(() => db.prepare(FAN).run('a1', 'f4', 1, 'guess')).toThrow(/CHECK/);
    expect(() => db.prepare(FAN).run('nobody', 'f5', 1, 'csv')).toThrow(/FOREIGN KEY/);
    const tag = db.prepare(`INSERT INTO fan_tags (account_id, fan_id, tag) VALUES ('a1', 'f1', ?)`);
    tag.run('VIP');
    expect(() => tag.run('vip')).toThrow(/UNIQUE|PRIMARY/);
    db.prepare(`DELETE FROM accounts WHERE id = 'a1'`).run();
    expect(db.prepare('SELECT count(*) FROM fans').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM fan_tags').pluck().get()).toBe(0);
    db.close();
  });
});
