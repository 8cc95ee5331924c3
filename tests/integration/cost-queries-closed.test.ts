import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CostQueries } from '../../main/costs/queries';
import { type Db, openDatabase } from '../../main/db/open';
import { type CostRow, Ledger } from '../../main/ledger/ledger';
import { manualClock } from '../../main/ports/clock';
import { breakdownInputSchema } from '../../shared/costs';
import { useTempDirs } from '../support/tmp';

const NOW = Date.UTC(2026, 10, 26, 12);
let seq = 0;
function cost(ts: number, costMicros: number, over: Partial<CostRow> = {}): CostRow {
  seq++;
  return {
    id: `c-${seq}`, requestId: `r-${seq}`, attempt: 1, ts, provider: 'azure', deployment: 'd', baseModel: 'gpt-4o', purpose: 'personalize',
    campaignId: 'cmp-1', operatorId: 'op-1', usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5 }, costMicros, latencyMs: 1, status: 'ok', priceSource: 'table', ...over,
  };
}

/** Mixed groupings (two of purpose, campaign, operator) read months whole and keep what lies before this month. */
describe('cost queries over closed months', () => {
  const tempDir = useTempDirs();
  const opened: Db[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });

  async function setup() {
    const db = openDatabase(join(tempDir(), 'c.db'));
    opened.push(db);
    const clock = manualClock(NOW);
    const ledger = new Ledger(db, clock, undefined, { timeZone: 'UTC' });
    await ledger.rebuilt();
    const queries = new CostQueries(db, clock, ledger);
    const mixed = (from: string, to: string) =>
      queries.breakdown(breakdownInputSchema.parse({ groupBy: ['campaign', 'purpose'], from, to })).rows.map((r) => [r.key.campaign, r.key.purpose, r.micros]);
    return { db, clock, ledger, mixed };
  }

  it('counts a late row written into a month already read, and a month that closed after it was read', async () => {
    const { clock, ledger, mixed } = await setup();
    await Promise.all([ledger.record(cost(Date.UTC(2026, 9, 10), 100)), ledger.record(cost(NOW, 7, { purpose: 'copy' }))]);
    expect(mixed('2026-10-01', '2026-11-26')).toEqual([['cmp-1', 'personalize', 100], ['cmp-1', 'copy', 7]]);

    await ledger.record(cost(Date.UTC(2026, 9, 31, 23), 50));
    expect(mixed('2026-10-01', '2026-11-26')).toEqual([['cmp-1', 'personalize', 150], ['cmp-1', 'copy', 7]]);

    // December: November is closed now, and a row still lands in it.
    clock.advance(10 * 86_400_000);
    expect(mixed('2026-10-01', '2026-12-06')).toEqual([['cmp-1', 'personalize', 150], ['cmp-1', 'copy', 7]]);
    await ledger.record(cost(NOW, 1000, { purpose: 'copy' }));
    expect(mixed('2026-10-01', '2026-12-06')).toEqual([['cmp-1', 'copy', 1007], ['cmp-1', 'personalize', 150]]);
  });

  it('answers a range cutting a month exactly, whether the left-out days had spend or not', async () => {
    const { ledger, mixed } = await setup();
    await Promise.all([
      ledger.record(cost(Date.UTC(2026, 9, 3), 1)),
      ledger.record(cost(Date.UTC(2026, 9, 20), 20)),
      ledger.record(cost(Date.UTC(2026, 10, 2), 300, { purpose: 'copy' })),
    ]);
    // October 3 had spend, so October 15–31 cannot be the whole month; November 1–26 can.
    expect(mixed('2026-10-15', '2026-11-26')).toEqual([['cmp-1', 'copy', 300], ['cmp-1', 'personalize', 20]]);
    expect(mixed('2026-10-01', '2026-10-19')).toEqual([['cmp-1', 'personalize', 1]]);
    expect(mixed('2026-11-03', '2026-11-26')).toEqual([]);
    expect(mixed('2026-11-02', '2026-11-02')).toEqual([['cmp-1', 'copy', 300]]);
  });

  it('drops what it kept when a time-zone rebuild moves rows between months', async () => {
    const { ledger, mixed } = await setup();
    // 20:00 UTC on October 31 is already November 1 in Kolkata.
    await ledger.record(cost(Date.UTC(2026, 9, 31, 20), 40));
    expect(mixed('2026-10-01', '2026-10-31')).toEqual([['cmp-1', 'personalize', 40]]);
    ledger.setTimeZone('Asia/Kolkata');
    await ledger.rebuilt();
    expect(mixed('2026-10-01', '2026-10-31')).toEqual([]);
    expect(mixed('2026-11-01', '2026-11-26')).toEqual([['cmp-1', 'personalize', 40]]);
  });

  it('answers every question from the rollups alone: with ai_costs gone, the answers are the same', async () => {
    const { db, clock, ledger } = await setup();
    await Promise.all([ledger.record(cost(Date.UTC(2026, 9, 10), 100)), ledger.record(cost(NOW, 7, { purpose: 'copy', campaignId: 'cmp-2' }))]);
    const queries = new CostQueries(db, clock, ledger);
    const ask = () => ({
      stats: queries.stats(),
      breakdowns: (['provider', 'model', 'purpose', 'campaign', 'operator'] as const).map((g) =>
        queries.breakdown(breakdownInputSchema.parse({ groupBy: g === 'campaign' ? [g] : [g, 'campaign'], from: '2026-01-01', to: '2026-11-26', top: 1 })),
      ),
      series: queries.series({ from: '2026-10-01', to: '2026-11-26', byModel: true }),
      campaign: queries.campaign('cmp-2'),
    });
    const before = ask();
    expect(before.stats.thisMonth.total.micros).toBe(7);
    db.exec('ALTER TABLE ai_costs RENAME TO ai_costs_gone');
    expect(ask()).toEqual(before);
  });
});
