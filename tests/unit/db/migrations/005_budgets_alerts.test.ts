import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../main/db/migrations';
import { migrate } from '../../../../main/db/open';
import { budgetModelSchema } from '../../../../shared/budgets';
import { routingPolicySchema } from '../../../../shared/ai';
import { useTempDirs } from '../../../support/tmp';

const ROUTES = { '*:*': [{ provider: 'azure', modelClass: 'premium' }] };

describe('migration 005: budget model and alert history', () => {
  const tempDir = useTempDirs();
  const upTo4 = () => {
    const db = new Database(join(tempDir(), 'm.db'));
    migrate(db, migrations.slice(0, 4));
    return db;
  };

  it('moves the routing policy’s hard limits into the budget model once, leaving a routing policy without them', () => {
    const db = upTo4();
    const budget = { dailyHardLimitMicros: 5_000_000, monthlyHardLimitMicros: 90_000_000, warningRatio: 0.75, onExceed: 'refuse' };
    db.prepare("INSERT INTO ai_config (key, value, updated_at) VALUES ('routing', ?, 7)").run(JSON.stringify({ routes: ROUTES, maxAttemptsPerProvider: 2, onContentFilter: 'refuse', budget }));
    expect(migrate(db, migrations.slice(0, 5))).toBe(5);
    const routing = JSON.parse(db.prepare("SELECT value FROM ai_config WHERE key = 'routing'").pluck().get() as string);
    expect(routingPolicySchema.safeParse(routing).success).toBe(true);
    const model = budgetModelSchema.parse(JSON.parse(db.prepare('SELECT value FROM budget_model WHERE id = 1').pluck().get() as string));
    expect(model.thresholds).toEqual([
      { id: 'routing-day', scope: 'global', target: null, period: 'day', amountMicros: 5_000_000, levels: [75, 100], hardStop: 'refuse' },
      { id: 'routing-month', scope: 'global', target: null, period: 'month', amountMicros: 90_000_000, levels: [75, 100], hardStop: 'refuse' },
    ]);
  });

  it('adds no budget when the routing policy had no limits, and works on a fresh database', () => {
    const db = upTo4();
    const budget = { dailyHardLimitMicros: null, monthlyHardLimitMicros: null, warningRatio: 0.8, onExceed: 'downgrade' };
    db.prepare("INSERT INTO ai_config (key, value, updated_at) VALUES ('routing', ?, 7)").run(JSON.stringify({ routes: ROUTES, maxAttemptsPerProvider: 2, onContentFilter: 'refuse', budget }));
    migrate(db, migrations.slice(0, 5));
    expect(db.prepare('SELECT COUNT(*) FROM budget_model').pluck().get()).toBe(0);
    expect(JSON.parse(db.prepare("SELECT value FROM ai_config WHERE key = 'routing'").pluck().get() as string)).not.toHaveProperty('budget');
    const fresh = new Database(join(tempDir(), 'f.db'));
    expect(migrate(fresh, migrations.slice(0, 5))).toBe(5);
  });

  it('keeps one alert per threshold × kind × period × level', () => {
    const db = upTo4();
    migrate(db, migrations.slice(0, 5));
    const insert = db.prepare("INSERT OR IGNORE INTO cost_alerts (id, threshold_id, kind, period_key, percent, fired_at, message, channels) VALUES (?, 't', 'threshold', '2026-11-26', 50, 1, '{}', '[]')");
    expect(insert.run('t.2026-11-26.50').changes).toBe(1);
    expect(insert.run('t.2026-11-26.50').changes).toBe(0);
    expect(insert.run('other-id').changes).toBe(0);
  });
});
