import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { idFromDb } from '../../../../main/ledger/ids';
import { useTempDirs } from '../../../support/tmp';

const UUID_A = '019ac0de-1234-7abc-8def-0123456789ab';
const UUID_B = '019ac0de-1234-7abc-9def-0123456789ac';

describe('migration 006: compact ledger ids, day-first campaign rollup', () => {
  const tempDir = useTempDirs();

  function atVersion4() {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, 5));
    const insert = db.prepare(`INSERT INTO ai_costs (id, request_id, attempt, ts, provider, deployment, base_model, purpose, campaign_id, operator_id,
      input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source) VALUES (?, ?, 1, ?, ?, 'dep', ?, ?, ?, ?, 10, 2, 5, ?, 3, 'ok', 'table')`);
    insert.run(UUID_A, UUID_B, Date.UTC(2026, 10, 30, 9), 'azure', 'gpt-4o', 'personalize', 'cmp-1', 'op-1', 100);
    insert.run('c-2', 'r-2', Date.UTC(2026, 10, 30, 10), 'azure', 'gpt-4o', 'copy', 'cmp-1', 'op-2', 40);
    insert.run('c-3', 'r-3', Date.UTC(2026, 11, 1, 9), 'openai', 'o4-mini', 'personalize', null, null, 2);
    // What 004 and the ledger would have built: the UTC rollups, and a rebuild half way into _next.
    const day = (ts: number) => Math.floor(ts / 86_400_000);
    const all = db.prepare('INSERT INTO cost_day_all VALUES (?, ?, ?, ?, ?, ?, 1, 10, 2, 5, ?)');
    all.run(day(Date.UTC(2026, 10, 30)), 'azure', 'gpt-4o', 'personalize', 'cmp-1', 'op-1', 100);
    all.run(day(Date.UTC(2026, 10, 30)), 'azure', 'gpt-4o', 'copy', 'cmp-1', 'op-2', 40);
    all.run(day(Date.UTC(2026, 11, 1)), 'openai', 'o4-mini', 'personalize', '', '', 2);
    db.prepare('INSERT INTO cost_day_all_next VALUES (?, ?, ?, ?, ?, ?, 1, 10, 2, 5, ?)').run(day(Date.UTC(2026, 10, 30)), 'azure', 'gpt-4o', 'copy', 'cmp-1', 'op-2', 40);
    db.prepare("UPDATE cost_rollup_state SET target_zone = 'Asia/Kolkata', cursor = 1, high = 3").run();
    const announce = db.prepare("INSERT INTO outbox (topic, key, payload, state, created_at, next_attempt_at) VALUES (?, ?, ?, 'pending', 1, 1)");
    announce.run('ai_cost', UUID_A, JSON.stringify({ costId: UUID_A }));
    announce.run('ai_cost', 'c-3', JSON.stringify({ costId: 'c-3' }));
    announce.run('alert.os', 'a-1', JSON.stringify({ costId: 'c-3' }));
    return { db, day };
  }

  it('keeps every ledger row with its rowid as seq, UUIDs as 16-byte blobs that decode to the same id', () => {
    const { db } = atVersion4();
    expect(migrate(db, migrations.slice(0, 6))).toBe(6);
    const rows = db.prepare('SELECT seq, rowid AS r, id, request_id, cost_micros FROM ai_costs ORDER BY seq').all() as { seq: number; r: number; id: string | Buffer; request_id: string | Buffer; cost_micros: number }[];
    expect(rows.map((r) => [r.seq, r.r, idFromDb(r.id), idFromDb(r.request_id), r.cost_micros])).toEqual([
      [1, 1, UUID_A, UUID_B, 100],
      [2, 2, 'c-2', 'r-2', 40],
      [3, 3, 'c-3', 'r-3', 2],
    ]);
    expect(Buffer.isBuffer(rows[0]!.id) && rows[0]!.id.length).toBe(16);
    expect(db.prepare('SELECT topic, key, payload FROM outbox ORDER BY id').all()).toEqual([
      { topic: 'ai_cost', key: 'seq:1', payload: '{"fromSeq":1,"toSeq":1}' },
      { topic: 'ai_cost', key: 'seq:3', payload: '{"fromSeq":3,"toSeq":3}' },
      { topic: 'alert.os', key: 'a-1', payload: '{"costId":"c-3"}' },
    ]);
    // The ledger's guards survive: the id is unique, (request, attempt) is unique, the CHECKs hold.
    const insert = db.prepare(`INSERT INTO ai_costs (id, request_id, attempt, ts, provider, deployment, base_model, purpose, input_tokens, cached_input_tokens, output_tokens,
      cost_micros, latency_ms, status, price_source) VALUES (?, ?, 1, 0, 'a', 'd', 'm', 'p', 1, ?, 1, 1, 1, 'ok', 'table')`);
    expect(() => insert.run(rows[0]!.id, 'r-9', 0)).toThrow(/UNIQUE/);
    expect(() => insert.run('c-9', 'r-2', 0)).toThrow(/UNIQUE/);
    expect(() => insert.run('c-9', 'r-9', 5)).toThrow(/CHECK/);
    db.close();
  });

  it('replaces cost_campaign_day with day-first cost_day_campaign summed from cost_day_all, live and _next, keeping the rebuild state', () => {
    const { db, day } = atVersion4();
    migrate(db, migrations.slice(0, 6));
    const nov30 = day(Date.UTC(2026, 10, 30));
    expect(db.prepare('SELECT * FROM cost_day_campaign ORDER BY day, campaign_id').all()).toEqual([
      { day: nov30, campaign_id: 'cmp-1', provider: 'azure', model: 'gpt-4o', requests: 2, input_tokens: 20, cached_input_tokens: 4, output_tokens: 10, cost_micros: 140 },
      { day: nov30 + 1, campaign_id: '', provider: 'openai', model: 'o4-mini', requests: 1, input_tokens: 10, cached_input_tokens: 2, output_tokens: 5, cost_micros: 2 },
    ]);
    expect(db.prepare('SELECT campaign_id, cost_micros FROM cost_day_campaign_next').all()).toEqual([{ campaign_id: 'cmp-1', cost_micros: 40 }]);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name LIKE 'cost_campaign_day%'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name LIKE 'cost_%' AND tbl_name NOT LIKE 'cost_alerts%' ORDER BY name").pluck().all()).toEqual([
      'cost_day_campaign_by_campaign',
      'cost_month_all_by_campaign',
    ]);
    expect(db.prepare('SELECT zone, target_zone, cursor, high FROM cost_rollup_state').get()).toEqual({ zone: 'UTC', target_zone: 'Asia/Kolkata', cursor: 1, high: 3 });
    db.close();
  });
});
