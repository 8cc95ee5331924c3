import type Database from 'better-sqlite3';
import type { Migration } from './types';

/**
 * The budget model and the alerts it fired. `cost_alerts.id` is the alert's identity
 * (threshold × local period × level, or × `projected`), so INSERT OR IGNORE makes firing
 * idempotent across restarts and time-zone changes: a period keeps its local date key.
 *
 * The routing policy's hard limits move here once: one budget model for alerts and the
 * orchestrator's pre-flight, never two places to configure a budget.
 */
function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE budget_model (
      id          INTEGER PRIMARY KEY CHECK (id = 1),
      value       TEXT NOT NULL CHECK (json_valid(value)),
      updated_at  INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE cost_alerts (
      id               TEXT PRIMARY KEY NOT NULL,
      threshold_id     TEXT NOT NULL,
      kind             TEXT NOT NULL CHECK (kind IN ('threshold', 'projected_overrun')),
      period_key       TEXT NOT NULL,
      percent          INTEGER NOT NULL,
      fired_at         INTEGER NOT NULL,
      acknowledged_at  INTEGER,
      message          TEXT NOT NULL CHECK (json_valid(message)),
      -- The channels its messages were enqueued for: a delivered row compacted out of the outbox still reads delivered.
      channels         TEXT NOT NULL CHECK (json_valid(channels)),
      UNIQUE (threshold_id, kind, period_key, percent)
    ) STRICT;
    CREATE INDEX cost_alerts_fired ON cost_alerts (fired_at DESC);
    CREATE INDEX cost_alerts_period ON cost_alerts (period_key);
  `);
  const row = db.prepare<[], { value: string; updated_at: number }>("SELECT value, updated_at FROM ai_config WHERE key = 'routing'").get();
  if (!row) return;
  const policy = JSON.parse(row.value) as Record<string, unknown>;
  const budget = policy.budget as
    | { dailyHardLimitMicros?: number | null; monthlyHardLimitMicros?: number | null; warningRatio?: number; onExceed?: string }
    | undefined;
  delete policy.budget;
  db.prepare("UPDATE ai_config SET value = ? WHERE key = 'routing'").run(JSON.stringify(policy));
  if (!budget) return;
  const warn = Math.round((budget.warningRatio ?? 0.8) * 100);
  const levels = warn >= 1 && warn < 100 ? [warn, 100] : [100];
  const hardStop = budget.onExceed === 'refuse' ? 'refuse' : 'downgrade';
  const thresholds = [];
  for (const [period, amount] of [
    ['day', budget.dailyHardLimitMicros],
    ['month', budget.monthlyHardLimitMicros],
  ] as const) {
    if (typeof amount === 'number' && amount >= 1) {
      thresholds.push({ id: `routing-${period}`, scope: 'global', target: null, period, amountMicros: amount, levels, hardStop });
    }
  }
  if (thresholds.length) db.prepare('INSERT INTO budget_model (id, value, updated_at) VALUES (1, ?, ?)').run(JSON.stringify({ thresholds }), row.updated_at);
}

export const migration005: Migration = { version: 5, name: 'budgets_alerts', up };
