import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DbOpenError, LATEST_SCHEMA_VERSION, migrate, openDatabase } from '../../../main/db/open';
import { useTempDirs } from '../../support/tmp';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function expectRefused(path: string, code: DbOpenError['code'], message: RegExp) {
  const before = sha(path);
  let caught: unknown;
  try {
    openDatabase(path);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DbOpenError);
  expect((caught as DbOpenError).code).toBe(code);
  expect((caught as DbOpenError).message).toMatch(message);
  expect(sha(path)).toBe(before);
}

describe('openDatabase', () => {
  const tempDir = useTempDirs();

  it('creates the folder and file, migrates to the latest schema, and sets durable pragmas', () => {
    const path = join(tempDir(), 'nested', 'huntaze.db');
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('reopens an existing database without migrating again', () => {
    const path = join(tempDir(), 'huntaze.db');
    const first = openDatabase(path);
    first.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', 1)").run();
    first.close();
    const again = openDatabase(path);
    expect(again.prepare('SELECT value FROM settings').get()).toEqual({ value: '"dark"' });
    again.close();
  });

  it('refuses a database from a newer app version and leaves it byte-for-byte unchanged', () => {
    const path = join(tempDir(), 'huntaze.db');
    const newer = new Database(path);
    newer.exec('CREATE TABLE from_the_future (x INTEGER) STRICT');
    newer.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 7}`);
    newer.close();
    expectRefused(path, 'newer_version', /newer version of Huntaze.*left untouched/s);
  });

  it('refuses a file that is not SQLite and leaves it unchanged', () => {
    const path = join(tempDir(), 'huntaze.db');
    writeFileSync(path, 'this is a spreadsheet export, not a database\n'.repeat(100));
    expectRefused(path, 'corrupt', /not a SQLite database or is damaged/);
  });

  it('refuses a file with a SQLite header but damaged pages and leaves it unchanged', () => {
    const path = join(tempDir(), 'huntaze.db');
    const good = new Database(path);
    good.exec('CREATE TABLE t (x TEXT)');
    good.close();
    const bytes = readFileSync(path);
    // Keep the 16-byte magic, scribble over the rest of the header and the schema page.
    for (let i = 16; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    writeFileSync(path, bytes);
    expectRefused(path, 'corrupt', /damaged/);
  });

  it('rolls back every pending migration when one fails', () => {
    const path = join(tempDir(), 'huntaze.db');
    const db = new Database(path);
    const failing = [
      { version: 1, name: 'ok', up: 'CREATE TABLE a (x INTEGER) STRICT' },
      { version: 2, name: 'broken', up: 'CREATE TABLE b (x INTEGER) STRICT; SELECT * FROM no_such_table' },
    ];
    expect(() => migrate(db, failing)).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get()).toEqual({ n: 0 });
    db.close();
  });
});
