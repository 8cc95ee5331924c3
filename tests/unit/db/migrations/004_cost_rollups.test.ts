import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { keyColumns, ROLLUP_TABLES } from '../../../../main/costs/rollups';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { useTempDirs } from '../../../support/tmp';

describe('migration 004: rollups per question, in a zone', () => {
  const tempDir = useTempDirs();

  it('keeps every ledger row and its rowid, drops the stored buckets, and rolls history up in UTC', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, 3));
    const insert = db.prepare(`INSERT INTO ai_costs (id, request_id, attempt, ts, day, month, provider, deployment, base_model, purpose, campaign_id, operator_id,
      input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, status, price_source) VALUES (?, ?, 1, ?, 'x', 'x', ?, 'dep', ?, ?, ?, ?, 10, 2, 5, ?, 3, 'ok', 'table')`);
    // 23:30 UTC on Nov 30 and 00:30 UTC on Dec 1: two UTC days in two months.
    insert.run('c-1', 'r-1', Date.UTC(2026, 10, 30, 23, 30), 'azure', 'gpt-4o', 'personalize', 'cmp-1', 'op-1', 100);
    insert.run('c-2', 'r-2', Date.UTC(2026, 11, 1, 0, 30), 'azure', 'gpt-4o', 'copy', null, null, 40);
    insert.run('c-3', 'r-3', Date.UTC(2026, 11, 1, 9), 'openai', 'o4-mini', 'personalize', 'cmp-1', 'op-1', 2);
    db.prepare('INSERT INTO ai_cost_rollups VALUES (?, ?, ?, ?, ?, ?, 1, 1, 1, 1, 1)').run('day', '2026-11-30', 'azure', 'gpt-4o', 'cmp-1', 'op-1');

    expect(migrate(db, migrations.slice(0, 4))).toBe(4);
    expect(db.prepare('SELECT rowid, id, cost_micros FROM ai_costs ORDER BY rowid').all()).toEqual([
      { rowid: 1, id: 'c-1', cost_micros: 100 },
      { rowid: 2, id: 'c-2', cost_micros: 40 },
      { rowid: 3, id: 'c-3', cost_micros: 2 },
    ]);
    const cols = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('ai_costs');
    expect(cols).not.toContain('day');
    expect(cols).not.toContain('month');
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'ai_costs' AND sql IS NOT NULL").all()).toEqual([]);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'ai_cost_rollups'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT zone, target_zone FROM cost_rollup_state').get()).toEqual({ zone: 'UTC', target_zone: null });

    const nov30 = Date.UTC(2026, 10, 30) / 86_400_000;
    expect(db.prepare('SELECT day, provider, model, requests, cost_micros FROM cost_day_model ORDER BY day, provider').all()).toEqual([
      { day: nov30, provider: 'azure', model: 'gpt-4o', requests: 1, cost_micros: 100 },
      { day: nov30 + 1, provider: 'azure', model: 'gpt-4o', requests: 1, cost_micros: 40 },
      { day: nov30 + 1, provider: 'openai', model: 'o4-mini', requests: 1, cost_micros: 2 },
    ]);
    expect(db.prepare('SELECT month, SUM(cost_micros) AS m FROM cost_month_all GROUP BY month').all()).toEqual([{ month: 202611, m: 100 }, { month: 202612, m: 42 }]);
    expect(db.prepare('SELECT campaign_id, SUM(cost_micros) AS m FROM cost_campaign_day GROUP BY campaign_id').all()).toEqual([{ campaign_id: 'cmp-1', m: 102 }]);
    expect(db.prepare("SELECT operator_id, SUM(cost_micros) AS m FROM cost_day_operator GROUP BY operator_id ORDER BY operator_id").all()).toEqual([{ operator_id: '', m: 40 }, { operator_id: 'op-1', m: 102 }]);
    // The ledger's old CHECKs still guard the rebuilt table.
    expect(() => db.prepare(`INSERT INTO ai_costs (id, request_id, attempt, ts, provider, deployment, base_model, purpose, input_tokens, cached_input_tokens, output_tokens,
      cost_micros, latency_ms, status, price_source) VALUES ('c-9', 'r-1', 1, 0, 'a', 'd', 'm', 'p', 1, 0, 1, 1, 1, 'ok', 'table')`).run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('creates each rollup and its _next twin with the key the code writes', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations);
    for (const t of ROLLUP_TABLES) {
      for (const name of [t.name, `${t.name}_next`]) {
        const pk = (db.prepare('SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').all(name) as { name: string }[]).map((c) => c.name);
        expect(pk).toEqual(keyColumns(t));
      }
    }
    expect(() => db.prepare('INSERT INTO cost_rollup_state (id, zone) VALUES (2, ?)').run('UTC')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE cost_rollup_state SET target_zone = 'Asia/Kolkata'").run()).toThrow(/CHECK/);
    db.close();
  });
});
