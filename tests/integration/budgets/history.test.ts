import { describe, expect, it } from 'vitest';
import { DELIVERIES_SQL } from '../../../main/budgets/budgets';
import { manualClock } from '../../../main/ports/clock';
import { ALERT_TOPICS } from '../../../shared/alerts';
import { openBudgetRig, spendRow, threshold } from '../../support/budgets';
import { useTempDirs } from '../../support/tmp';

const NOW = Date.UTC(2026, 10, 26, 12);

describe('alert history reads its deliveries by index', () => {
  const tempDir = useTempDirs();

  it('looks each alert up in UNIQUE(topic, key), never scanning the outbox, and still finds every channel', async () => {
    const rig = await openBudgetRig(tempDir(), manualClock(NOW), 'UTC');
    try {
      // Plenty of other traffic in the outbox, as a busy ledger leaves it.
      const insert = rig.db.prepare("INSERT INTO outbox (topic, key, payload, created_at, next_attempt_at) VALUES (?, ?, '{}', 1, 1)");
      for (let i = 0; i < 200; i++) insert.run('ledger.costs', `row-${i}`);
      rig.db.exec('ANALYZE');
      const plan = (rig.db.prepare(`EXPLAIN QUERY PLAN ${DELIVERIES_SQL}`).all('any') as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan).not.toMatch(/SCAN outbox/);
      expect(plan).toMatch(/SEARCH outbox USING INDEX sqlite_autoindex_outbox_\d+ \(topic=\? AND key=\?\)/);

      rig.budgets.setModel({ thresholds: [threshold({ amountMicros: 100, levels: [100] })] });
      await rig.write([spendRow(NOW, 150)]);
      const [alert] = rig.budgets.history();
      expect(alert).toMatchObject({ channels: [{ channel: 'os', state: 'pending' }, { channel: 'slack', state: 'pending' }] });
      rig.db.prepare("UPDATE outbox SET state = 'dead', dead_at = 1, last_error = 'unavailable (HTTP 500): internal_error' WHERE topic = ? AND key = ?").run(ALERT_TOPICS.slack, alert!.id);
      expect(rig.budgets.history()[0]!.channels).toEqual([
        { channel: 'os', state: 'pending', lastError: null },
        { channel: 'slack', state: 'dead', lastError: 'unavailable (HTTP 500): internal_error' },
      ]);
    } finally {
      rig.close();
    }
  });
});
