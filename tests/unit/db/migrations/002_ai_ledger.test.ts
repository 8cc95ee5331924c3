import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { useTempDirs } from '../../../support/tmp';

const cost = (overrides: Record<string, unknown> = {}) => ({
  id: 'c1', request_id: 'r1', attempt: 1, ts: 1, day: '2026-11-26', month: '2026-11', provider: 'azure', deployment: 'd', base_model: 'gpt-4o',
  purpose: 'copy', campaign_id: null, operator_id: null, input_tokens: 10, cached_input_tokens: 4, output_tokens: 5, cost_micros: 7,
  latency_ms: 3, status: 'ok', price_source: 'table', ...overrides,
});
const INSERT = `INSERT INTO ai_costs VALUES (@id, @request_id, @attempt, @ts, @day, @month, @provider, @deployment, @base_model, @purpose,
  @campaign_id, @operator_id, @input_tokens, @cached_input_tokens, @output_tokens, @cost_micros, @latency_ms, @status, @price_source)`;

describe('migration 002: AI cost ledger', () => {
  const tempDir = useTempDirs();

  it('upgrades a version-1 database with its settings intact', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, 1));
    db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', 1)").run();
    expect(migrate(db, migrations.slice(0, 2))).toBe(2);
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '"dark"' });
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['ai_config', 'ai_cost_rollups', 'ai_costs', 'outbox', 'secrets', 'settings']);
    db.close();
  });

  it('guards the ledger with types and checks', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, 2));
    db.prepare(INSERT).run(cost());
    expect(() => db.prepare(INSERT).run(cost({ id: 'c2' }))).toThrow(/UNIQUE/); // same request and attempt
    expect(() => db.prepare(INSERT).run(cost({ id: 'c3', attempt: 2, cost_micros: 1.5 }))).toThrow(/cannot store REAL/);
    expect(() => db.prepare(INSERT).run(cost({ id: 'c4', attempt: 3, cached_input_tokens: 11 }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(cost({ id: 'c5', attempt: 4, price_source: 'guess' }))).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO outbox (id, topic, payload, created_at) VALUES ('o', 't', 'nope', 1)").run()).toThrow(/CHECK/);
    db.close();
  });
});
