import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../main/ports/clock';
import { openBudgetRig, spendRow, threshold } from '../../support/budgets';
import { useTempDirs } from '../../support/tmp';

const NOON = Date.UTC(2026, 10, 26, 12);

describe('budget alert evaluator (real SQLite file)', () => {
  const tempDir = useTempDirs();

  it('does not fire again after a restart, and fires the next level once', async () => {
    const dir = tempDir();
    const clock = manualClock(NOON);
    let rig = await openBudgetRig(dir, clock, 'UTC');
    rig.budgets.setModel({ thresholds: [threshold()] });
    await rig.write([spendRow(clock.now(), 600_000)]);
    expect(rig.alertIds()).toEqual(['g-day.2026-11-26.50']);
    rig.close();

    clock.advance(60_000);
    rig = await openBudgetRig(dir, clock, 'UTC');
    expect(rig.fired).toEqual([]); // seeding at open caught nothing up: 50 % was recorded
    await rig.write([spendRow(clock.now(), 100_000)]);
    await rig.write([spendRow(clock.now(), 150_000)]);
    expect(rig.alertIds()).toEqual(['g-day.2026-11-26.50', 'g-day.2026-11-26.80']);
    expect(rig.fired.map((a) => a.id)).toEqual(['g-day.2026-11-26.80']);
    expect(rig.fired[0]).toMatchObject({ level: 'warning', amountMicros: 850_000, budgetMicros: 1_000_000, period: { unit: 'day', key: '2026-11-26' } });
    // One message per channel per alert, keyed by the alert id.
    expect(rig.db.prepare("SELECT topic || ' ' || key FROM outbox WHERE topic LIKE 'alert.%' ORDER BY topic, key").pluck().all()).toEqual([
      'alert.os g-day.2026-11-26.50',
      'alert.os g-day.2026-11-26.80',
      'alert.slack g-day.2026-11-26.50',
      'alert.slack g-day.2026-11-26.80',
    ]);
    rig.close();
  });

  it('catches up at open on a level reached but never recorded (a crash between the two commits)', async () => {
    const dir = tempDir();
    const clock = manualClock(NOON);
    let rig = await openBudgetRig(dir, clock, 'UTC');
    rig.budgets.setModel({ thresholds: [threshold()] });
    await rig.write([spendRow(clock.now(), 900_000)]);
    // As if the process died after the cost row's commit, before the alert's.
    rig.db.exec("DELETE FROM cost_alerts WHERE id = 'g-day.2026-11-26.80'");
    rig.close();
    rig = await openBudgetRig(dir, clock, 'UTC');
    expect(rig.fired.map((a) => a.id)).toEqual(['g-day.2026-11-26.80']);
    expect(rig.alertIds()).toEqual(['g-day.2026-11-26.50', 'g-day.2026-11-26.80']);
    rig.close();
  });

  it('does not refire after a time-zone change keeps the same local date, live or at the next open', async () => {
    const dir = tempDir();
    const clock = manualClock(NOON);
    let rig = await openBudgetRig(dir, clock, 'UTC');
    rig.budgets.setModel({ thresholds: [threshold(), threshold({ id: 'g-month', period: 'month', amountMicros: 10_000_000 })] });
    await rig.write([spendRow(clock.now(), 550_000)]);
    expect(rig.alertIds()).toEqual(['g-day.2026-11-26.50']);
    rig.ledger.setTimeZone('Europe/Paris');
    await rig.ledger.rebuilt();
    await rig.write([spendRow(clock.now(), 10_000)]);
    expect(rig.fired.map((a) => a.id)).toEqual(['g-day.2026-11-26.50']);
    rig.close();
    rig = await openBudgetRig(dir, clock, 'Asia/Kolkata');
    await rig.write([spendRow(clock.now(), 10_000)]);
    expect(rig.fired).toEqual([]);
    // Still counted in the new zone: the next level fires there.
    await rig.write([spendRow(clock.now(), 300_000)]);
    expect(rig.fired.map((a) => a.id)).toEqual(['g-day.2026-11-26.80']);
    rig.close();
  });

  it('starts a new day at zero, and keeps counting the month', async () => {
    const clock = manualClock(NOON);
    const rig = await openBudgetRig(tempDir(), clock, 'UTC');
    rig.budgets.setModel({ thresholds: [threshold({ levels: [100] }), threshold({ id: 'g-month', period: 'month', amountMicros: 2_000_000, levels: [100] })] });
    await rig.write([spendRow(clock.now(), 1_000_000)]);
    clock.advance(24 * 3_600_000);
    await rig.write([spendRow(clock.now(), 999_999)]);
    // (The month's forecast already says it will go over: that one is a projection, not a level.)
    const levels = () => rig.alertIds().filter((id) => !id.endsWith('.projected'));
    expect(levels()).toEqual(['g-day.2026-11-26.100']);
    await rig.write([spendRow(clock.now(), 1)]);
    expect(levels()).toEqual(['g-day.2026-11-26.100', 'g-day.2026-11-27.100', 'g-month.2026-11.100']);
    rig.close();
  });

  it('counts a provider or campaign threshold on its own rows only', async () => {
    const clock = manualClock(NOON);
    const rig = await openBudgetRig(tempDir(), clock, 'UTC');
    rig.budgets.setModel({
      thresholds: [
        threshold({ id: 'openai', scope: 'provider', target: 'openai', levels: [100] }),
        threshold({ id: 'camp', scope: 'campaign', target: 'cmp-1', levels: [100] }),
      ],
    });
    await rig.write([spendRow(clock.now(), 2_000_000, { provider: 'azure', campaignId: 'cmp-2' })]);
    expect(rig.alertIds()).toEqual([]);
    await rig.write([spendRow(clock.now(), 1_000_000, { provider: 'openai', campaignId: 'cmp-1' })]);
    expect(rig.alertIds()).toEqual(['camp.2026-11-26.100', 'openai.2026-11-26.100']);
    expect(rig.budgets.evaluator.spent({ scope: 'provider', target: 'openai', period: 'day' })).toBe(1_000_000);
    expect(rig.budgets.evaluator.spent({ scope: 'global', target: null, period: 'day' })).toBe(0); // no global threshold, no counter
    rig.close();
  });

  it('fires a projected overrun when the forecast crosses a monthly budget the spend has not reached', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 1, 12));
    const rig = await openBudgetRig(tempDir(), clock, 'UTC');
    rig.budgets.setModel({ thresholds: [threshold({ id: 'm', period: 'month', amountMicros: 20_000_000, levels: [100] })] });
    // 1 $ a day for ten days: about 30 $ by the month's end, over a 20 $ budget not yet reached.
    for (let d = 0; d < 10; d++) {
      await rig.write([spendRow(clock.now(), 1_000_000)]);
      clock.advance(24 * 3_600_000);
    }
    await rig.write([spendRow(clock.now(), 500_000)]);
    const projected = rig.fired.filter((a) => a.kind === 'projected_overrun');
    expect(projected.map((a) => a.id)).toEqual(['m.2026-11.projected']);
    expect(projected[0]!.amountMicros).toBeGreaterThan(20_000_000);
    expect(rig.alertIds()).toEqual(['m.2026-11.projected']);
    rig.close();
  });

  it('in the Sandbox profile only notifies on this machine', async () => {
    const clock = manualClock(NOON);
    const rig = await openBudgetRig(tempDir(), clock, 'UTC', 'sandbox');
    rig.budgets.setModel({ thresholds: [threshold({ levels: [100] })] });
    await rig.write([spendRow(clock.now(), 1_000_000)]);
    expect(rig.db.prepare("SELECT topic FROM outbox WHERE topic LIKE 'alert.%'").pluck().all()).toEqual(['alert.os']);
    rig.close();
  });
});
