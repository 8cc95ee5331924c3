import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceLocalDate } from '../support/costs';
import { manualClock } from '../../main/ports/clock';
import { type BudgetThreshold } from '../../shared/budgets';
import { openBudgetRig, spendRow, threshold } from '../support/budgets';
import { TEST_ZONES } from '../support/costs';
import { useTempDirs } from '../support/tmp';

const START = Date.UTC(2026, 9, 29, 20); // three days before a month end, and around DST changes

/** Which alerts must exist: each level whose period's spend (bucketed the slow way, by Intl) reached it. */
function expected(thresholds: BudgetThreshold[], zone: string, spends: { ts: number; micros: number }[]): string[] {
  const sums = new Map<string, number>();
  for (const s of spends) {
    const date = referenceLocalDate(zone, s.ts);
    for (const key of [date, date.slice(0, 7)]) sums.set(key, (sums.get(key) ?? 0) + s.micros);
  }
  const ids: string[] = [];
  for (const t of thresholds) {
    for (const [key, sum] of sums) {
      if ((t.period === 'day') !== (key.length === 10)) continue;
      for (const level of t.levels) if (sum * 100 >= t.amountMicros * level) ids.push(`${t.id}.${key}.${level}`);
    }
  }
  return ids.sort();
}

describe('budget alerts (fast-check, real SQLite files)', () => {
  const tempDir = useTempDirs();

  it('fires each level exactly once per local period, for any spend sequence, batching and zone', async () => {
    const levelsArb = fc.uniqueArray(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }).map((l) => l.sort((a, b) => a - b));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TEST_ZONES),
        levelsArb,
        levelsArb,
        fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 9 * 3_600_000 }), micros: fc.integer({ min: 0, max: 400_000 }), batch: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 40 }),
        async (zone, dayLevels, monthLevels, steps) => {
          const clock = manualClock(START);
          const rig = await openBudgetRig(tempDir(), clock, zone);
          try {
            const thresholds = [threshold({ id: 'day', levels: dayLevels, amountMicros: 1_000_000 }), threshold({ id: 'month', period: 'month', levels: monthLevels, amountMicros: 3_000_000 })];
            rig.budgets.setModel({ thresholds });
            const spends: { ts: number; micros: number }[] = [];
            for (const step of steps) {
              clock.advance(step.gapMs);
              // Several rows in one group commit: the counters move by the batch.
              const rows = Array.from({ length: step.batch }, () => spendRow(clock.now(), Math.floor(step.micros / step.batch)));
              for (const r of rows) spends.push({ ts: r.ts, micros: r.costMicros });
              await rig.write(rows);
            }
            const fired = rig.alertIds().filter((id) => !id.endsWith('.projected'));
            expect(fired).toEqual(expected(thresholds, zone, spends));
            // Each fired once: one history row, one message per channel.
            expect(rig.fired.filter((a) => a.kind === 'threshold').map((a) => a.id).sort()).toEqual(fired);
            const osRows = rig.db.prepare("SELECT COUNT(*) FROM outbox WHERE topic = 'alert.os' AND key NOT LIKE '%.projected'").pluck().get();
            expect(osRows).toBe(fired.length);
          } finally {
            rig.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
