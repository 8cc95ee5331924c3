import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { useTempDirs } from '../../../support/tmp';

const costRow = (id: string, ts: number) => ({
  id, request_id: `r-${id}`, attempt: 1, ts, day: '2026-11-26', month: '2026-11', provider: 'azure', deployment: 'prod-chat-eu', base_model: 'gpt-4o',
  purpose: 'copy', campaign_id: 'cmp-1', operator_id: null, input_tokens: 10, cached_input_tokens: 4, output_tokens: 5, cost_micros: 7,
  latency_ms: 3, status: 'ok', price_source: 'table',
});

describe('migration 003: one outbox', () => {
  const tempDir = useTempDirs();

  it('reshapes a version-2 outbox, keeping every row and shrinking ai_cost payloads to the cost id', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, 2));
    const insertCost = db.prepare(`INSERT INTO ai_costs VALUES (@id, @request_id, @attempt, @ts, @day, @month, @provider, @deployment, @base_model, @purpose,
      @campaign_id, @operator_id, @input_tokens, @cached_input_tokens, @output_tokens, @cost_micros, @latency_ms, @status, @price_source)`);
    const insertOutbox = db.prepare('INSERT INTO outbox (id, topic, payload, created_at, attempts, sent_at) VALUES (?, ?, ?, ?, ?, ?)');
    // What the version-2 ledger wrote: the whole cost row as the payload.
    for (const [id, ts, attempts, sentAt] of [['c-2', 200, 0, null], ['c-1', 100, 3, null], ['c-3', 300, 1, 350]] as const) {
      const row = costRow(id, ts);
      insertCost.run(row);
      insertOutbox.run(id, 'ai_cost', JSON.stringify(row), ts, attempts, sentAt);
    }
    insertOutbox.run('other-1', 'legacy', '{"x":1}', 150, 0, null);

    expect(migrate(db, migrations.slice(0, 3))).toBe(3);
    const rows = db.prepare('SELECT id, topic, key, payload, state, created_at, next_attempt_at, attempts, lease_owner, last_error, delivered_at FROM outbox ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, topic: 'ai_cost', key: 'c-1', payload: '{"costId":"c-1"}', state: 'pending', created_at: 100, next_attempt_at: 100, attempts: 3, lease_owner: null, last_error: null, delivered_at: null },
      { id: 2, topic: 'legacy', key: 'other-1', payload: '{"x":1}', state: 'pending', created_at: 150, next_attempt_at: 150, attempts: 0, lease_owner: null, last_error: null, delivered_at: null },
      { id: 3, topic: 'ai_cost', key: 'c-2', payload: '{"costId":"c-2"}', state: 'pending', created_at: 200, next_attempt_at: 200, attempts: 0, lease_owner: null, last_error: null, delivered_at: null },
      { id: 4, topic: 'ai_cost', key: 'c-3', payload: '{"costId":"c-3"}', state: 'delivered', created_at: 300, next_attempt_at: 300, attempts: 1, lease_owner: null, last_error: null, delivered_at: 350 },
    ]);
    // The cost rows themselves are untouched; the payload now points at them.
    expect(db.prepare('SELECT COUNT(*) FROM ai_costs').pluck().get()).toBe(3);
    const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['outbox_delivered', 'outbox_due']);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'outbox%' AND type = 'table'").pluck().all()).toEqual(['outbox']);
    db.close();
  });

  it('guards states, leases and idempotency keys', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, 3));
    const insert = (cols: Record<string, unknown>) => {
      const row = { topic: 'note', key: 'k', payload: '{}', created_at: 1, next_attempt_at: 1, ...cols };
      const names = Object.keys(row);
      db.prepare(`INSERT INTO outbox (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`).run(row);
    };
    insert({});
    expect(() => insert({})).toThrow(/UNIQUE/);
    insert({ topic: 'alert' }); // the same key under another topic is another row
    expect(() => insert({ key: 'k2', payload: 'not json' })).toThrow(/CHECK/);
    expect(() => insert({ key: 'k3', state: 'lost' })).toThrow(/CHECK/);
    expect(() => insert({ key: 'k4', lease_owner: 'relay:1' })).toThrow(/CHECK/);
    expect(() => insert({ key: 'k5', state: 'delivered' })).toThrow(/CHECK/);
    expect(() => insert({ key: 'k6', state: 'dead', dead_at: 5, lease_owner: 'relay:1', lease_until: 9 })).toThrow(/CHECK/);
    expect(() => insert({ key: 'k7', attempts: 1.5 })).toThrow(/cannot store REAL/);
    expect(() => insert({ key: '' })).toThrow(/CHECK/);
    insert({ key: 'k8', state: 'delivered', delivered_at: 2 });
    expect(db.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(3);
    db.close();
  });
});
