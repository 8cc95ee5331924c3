import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { useTempDirs } from '../../../support/tmp';

const send = (overrides: Record<string, unknown> = {}) => ({
  id: 's1', idempotency_key: 'k1', client_ref: 's1', job_id: 'quick', account_id: 'a1', chat_id: 'fan', text: 'hi', price_micros: null,
  state: 'queued', created_at: 1, updated_at: 1, ...overrides,
});
const INSERT = `INSERT INTO sends (id, idempotency_key, client_ref, job_id, account_id, chat_id, text, price_micros, state, created_at, updated_at)
  VALUES (@id, @idempotency_key, @client_ref, @job_id, @account_id, @chat_id, @text, @price_micros, @state, @created_at, @updated_at)`;
const upTo = (version: number) => migrations.filter((m) => m.version <= version);

describe('migration 011: the send queue', () => {
  const tempDir = useTempDirs();

  it('upgrades the previous schema, keeping accounts and the limiter state', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, upTo(10));
    db.prepare(`INSERT INTO limiter_state (rule, key, tat) VALUES ('account', 'a1', 42)`).run();
    expect(migrate(db, upTo(11))).toBe(11);
    expect(db.prepare('SELECT tat FROM limiter_state').pluck().get()).toBe(42);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'send%' ORDER BY name").pluck().all();
    expect(tables).toEqual(['send_pauses', 'send_throttles', 'sends']);
    db.close();
  });

  it('guards rows: one send per idempotency key and id, known states only, no negative price, integers only', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, upTo(11));
    db.prepare(INSERT).run(send());
    expect(() => db.prepare(INSERT).run(send({ id: 's2' }))).toThrow(/UNIQUE/);
    expect(() => db.prepare(INSERT).run(send({ idempotency_key: 'k2' }))).toThrow(/UNIQUE/);
    expect(() => db.prepare(INSERT).run(send({ id: 's3', idempotency_key: 'k3', state: 'lost' }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(send({ id: 's4', idempotency_key: 'k4', price_micros: -1 }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(send({ id: 's5', idempotency_key: 'k5', price_micros: 1.5 }))).toThrow(/cannot store REAL/);
    expect(() => db.prepare(`INSERT INTO send_pauses (scope, key, created_at) VALUES ('fan', 'x', 1)`).run()).toThrow(/CHECK/);
    db.close();
  });
});
