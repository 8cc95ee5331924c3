import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { useTempDirs } from '../../../support/tmp';

const request = (overrides: Record<string, unknown> = {}) => ({
  id: 'r1', ts: 1, purpose: 'copy', model_class: 'premium', campaign_id: null, operator_id: null, outcome: 'ok', error_kind: null, error_detail: null,
  provider: 'azure', deployment: 'd', base_model: 'gpt-4o', attempt_count: 1, input_tokens: 10, cached_input_tokens: 0, output_tokens: 5,
  cost_micros: 7, latency_ms: 3, served_by_fallback: 0, downgraded: 0, attempts: '{"attempts":[],"skipped":[]}', ...overrides,
});
const INSERT = `INSERT INTO ai_requests (id, ts, purpose, model_class, campaign_id, operator_id, outcome, error_kind, error_detail, provider, deployment,
  base_model, attempt_count, input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, served_by_fallback, downgraded, attempts)
  VALUES (@id, @ts, @purpose, @model_class, @campaign_id, @operator_id, @outcome, @error_kind, @error_detail, @provider, @deployment,
  @base_model, @attempt_count, @input_tokens, @cached_input_tokens, @output_tokens, @cost_micros, @latency_ms, @served_by_fallback, @downgraded, @attempts)`;

describe('migration 008: request log', () => {
  const tempDir = useTempDirs();

  it('upgrades a version-7 database, its cost rows untouched, with an index per filter', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, 7));
    const before = db.prepare('SELECT COUNT(*) FROM ai_costs').pluck().get();
    expect(migrate(db, migrations.slice(0, 8))).toBe(8);
    expect(db.prepare('SELECT COUNT(*) FROM ai_costs').pluck().get()).toBe(before);
    const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'ai_requests' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['ai_requests_campaign', 'ai_requests_outcome', 'ai_requests_provider', 'ai_requests_purpose', 'ai_requests_ts']);
    db.close();
  });

  it('guards rows with types and checks: integer money, a known outcome, valid JSON, one row per request', () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, 8));
    db.prepare(INSERT).run(request());
    expect(() => db.prepare(INSERT).run(request())).toThrow(/UNIQUE/);
    expect(() => db.prepare(INSERT).run(request({ id: 'r2', cost_micros: 1.5 }))).toThrow(/cannot store REAL/);
    expect(() => db.prepare(INSERT).run(request({ id: 'r3', outcome: 'maybe' }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(request({ id: 'r4', attempts: 'nope' }))).toThrow(/CHECK/);
    expect(() => db.prepare(INSERT).run(request({ id: 'r5', latency_ms: -1 }))).toThrow(/CHECK/);
    db.close();
  });
});
