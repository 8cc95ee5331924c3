import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { useTempDirs } from '../../../support/tmp';

const upTo = (version: number) => migrations.filter((m) => m.version <= version);
const campaign = (overrides: Record<string, unknown> = {}) => ({
  id: 'c1', name: 'Welcome', type: 'welcome', audience: null, media_refs: '[]', personalization: 'template', variants: 2, state: 'draft', t: 1, ...overrides,
});
const INSERT = `INSERT INTO campaigns (id, name, type, audience, media_refs, personalization, variants, state, created_at, updated_at, state_changed_at)
  VALUES (@id, @name, @type, @audience, @media_refs, @personalization, @variants, @state, @t, @t, @t)`;
const RECIPIENT = `INSERT INTO campaign_recipients (campaign_id, fan_id, status, reason, variant, send_id, updated_at) VALUES (@c, @fan, @status, @reason, @variant, @send, 1)`;
const recipient = (overrides: Record<string, unknown> = {}) => ({ c: 'c1', fan: 'f1', status: 'pending', reason: null, variant: null, send: null, ...overrides });

describe('migration 013: campaigns, recipients and personas', () => {
  const tempDir = useTempDirs();
  const fresh = () => {
    const db = new Database(join(tempDir(), 'm.db'));
    db.pragma('foreign_keys = ON');
    return db;
  };

  it('upgrades the previous schema, keeping accounts and sends', () => {
    const db = fresh();
    migrate(db, upTo(12));
    db.prepare(`INSERT INTO accounts (id, name, platform_account_id, transport, per_minute, min_spacing_s, burst, colour, created_at, updated_at)
      VALUES ('a1', 'Mia', 'mia', 'sandbox', 10, 3, 1, 'sky', 1, 1)`).run();
    expect(migrate(db, upTo(13))).toBe(13);
    expect(db.prepare('SELECT name FROM accounts').pluck().all()).toEqual(['Mia']);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('campaigns', 'campaign_recipients', 'account_personas') ORDER BY name").pluck().all();
    expect(tables).toEqual(['account_personas', 'campaign_recipients', 'campaigns']);
    db.close();
  });

  it('guards campaign rows: known types, states and modes, 2–4 variants, JSON audience, no negative price, integers only', () => {
    const db = fresh();
    migrate(db, upTo(13));
    db.prepare(INSERT).run(campaign({ audience: '{"segment":"vip"}' }));
    expect(() => db.prepare(INSERT).run(campaign())).toThrow(/UNIQUE/);
    expect(() => db.prepare(INSERT).run(campaign({ id: 'c2', type: 'spam' }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(campaign({ id: 'c3', state: 'approved' }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(campaign({ id: 'c4', personalization: 'ai' }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(campaign({ id: 'c5', variants: 5 }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(campaign({ id: 'c6', audience: '{not json' }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(campaign({ id: 'c7', name: '' }))).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE campaigns SET price_micros = -1 WHERE id = 'c1'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE campaigns SET price_micros = 1.5 WHERE id = 'c1'").run()).toThrow(/cannot store REAL/);
    db.close();
  });

  it('guards recipients: one per fan, known statuses, a blocked one names its word, a send belongs to one row, gone with the campaign', () => {
    const db = fresh();
    migrate(db, upTo(13));
    db.prepare(INSERT).run(campaign());
    db.prepare(RECIPIENT).run(recipient({ send: 's1' }));
    expect(() => db.prepare(RECIPIENT).run(recipient())).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.prepare(RECIPIENT).run(recipient({ fan: 'f2', status: 'lost' }))).toThrow(/CHECK/);
    expect(() => db.prepare(RECIPIENT).run(recipient({ fan: 'f3', status: 'blocked' }))).toThrow(/CHECK/);
    db.prepare(RECIPIENT).run(recipient({ fan: 'f3', status: 'blocked', reason: 'venmo' }));
    expect(() => db.prepare(RECIPIENT).run(recipient({ fan: 'f4', send: 's1' }))).toThrow(/UNIQUE/);
    expect(() => db.prepare(RECIPIENT).run(recipient({ fan: 'f5', variant: 4 }))).toThrow(/CHECK/);
    expect(() => db.prepare(RECIPIENT).run(recipient({ c: 'nope', fan: 'f6' }))).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM campaigns WHERE id = 'c1'").run();
    expect(db.prepare('SELECT count(*) FROM campaign_recipients').pluck().get()).toBe(0);
    db.close();
  });
});
