import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { idToDb } from '../../../../main/ledger/ids';
import { useTempDirs } from '../../../support/tmp';

const upTo = (version: number) => migrations.filter((m) => m.version <= version);
const INSERT = `INSERT INTO campaigns (id, name, type, audience, media_refs, personalization, variants, state, created_at, updated_at, state_changed_at)
  VALUES ('c1', 'AB', 'mass_message', NULL, '[]', 'ai_variants', 2, 'draft', 1, 1, 1)`;
const REQUEST = 'INSERT INTO campaign_ai_requests (request_id, campaign_id, variant) VALUES (?, ?, ?)';

describe('migration 014: the variant of each campaign AI request', () => {
  const tempDir = useTempDirs();

  it('upgrades 013 keeping campaigns; one row per request, a known campaign, variants 0–3, gone with the campaign', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, upTo(13));
    db.prepare(INSERT).run();
    expect(migrate(db, upTo(14))).toBe(14);
    expect(db.prepare('SELECT id FROM campaigns').pluck().all()).toEqual(['c1']);
    const id = idToDb('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    db.prepare(REQUEST).run(id, 'c1', 1);
    expect(() => db.prepare(REQUEST).run(id, 'c1', 0)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.prepare(REQUEST).run('r2', 'nope', 0)).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(REQUEST).run('r3', 'c1', 4)).toThrow(/CHECK/);
    db.prepare("DELETE FROM campaigns WHERE id = 'c1'").run();
    expect(db.prepare('SELECT count(*) FROM campaign_ai_requests').pluck().get()).toBe(0);
    db.close();
  });
});
