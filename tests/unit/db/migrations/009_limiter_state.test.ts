import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { useTempDirs } from '../../../support/tmp';

// Found by name, so the test survives a renumbering at merge.
const version = migrations.find((m) => m.name === 'limiter_state')!.version;

describe('migration 009: limiter state', () => {
  const tempDir = useTempDirs();

  it('upgrades the previous schema and keeps one state per rule and key, and one clock row', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, version - 1));
    expect(migrate(db, migrations.slice(0, version))).toBe(version);
    const put = db.prepare('INSERT INTO limiter_state (rule, key, tat) VALUES (?, ?, ?)');
    put.run('account', 'a1', 6000.5);
    expect(() => put.run('account', 'a1', 1)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => put.run('account', 'a2', 'soon')).toThrow(/cannot store TEXT/);
    const clock = db.prepare('INSERT INTO limiter_clock (id, virtual_ms, wall_ms) VALUES (?, ?, ?)');
    clock.run(1, 10, 20);
    expect(() => clock.run(2, 10, 20)).toThrow(/CHECK/);
    db.close();
  });
});
