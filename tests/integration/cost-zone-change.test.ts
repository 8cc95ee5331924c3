import { describe, expect, it } from 'vitest';
import type { CostRow } from '../../main/ledger/ledger';
import { manualClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { createServices, type Services } from '../../main/services';
import type { Breakdown, CostSeries, CostStats } from '../../shared/costs';
import { useTempDirs } from '../support/tmp';

// 12:00 UTC on November 26 is 04:00 the same day in Los Angeles (PST, UTC−8).
const NOW = Date.UTC(2026, 10, 26, 12);

let seq = 0;
function cost(ts: number, costMicros: number, over: Partial<CostRow> = {}): CostRow {
  seq++;
  return {
    id: `z-${seq}`, requestId: `zr-${seq}`, attempt: 1, ts, provider: 'azure', deployment: 'd', baseModel: 'gpt-4o', purpose: 'personalize',
    campaignId: 'cmp-1', operatorId: 'op-1', usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5 }, costMicros, latencyMs: 1, status: 'ok', priceSource: 'table', ...over,
  };
}

/** Each amount a distinct power of two: any row lost, doubled or put on the wrong day changes a sum visibly. */
const ROWS = [
  // 02:00 UTC on the 26th is 18:00 on the 25th in Los Angeles: today in UTC, yesterday there.
  cost(Date.UTC(2026, 10, 26, 2), 1, { provider: 'openai' }),
  // 09:00 UTC is 01:00 in Los Angeles: today in both.
  cost(Date.UTC(2026, 10, 26, 9), 2),
  // Midday on the 25th: yesterday in both.
  cost(Date.UTC(2026, 10, 25, 10), 4, { campaignId: 'cmp-2' }),
  // 02:00 UTC on November 1 is still October 31 in Los Angeles: it leaves this month.
  cost(Date.UTC(2026, 10, 1, 2), 8, { provider: 'openai', campaignId: 'cmp-2' }),
  // Early October: the same day in both, a month the move does not touch.
  cost(Date.UTC(2026, 9, 5, 15), 16),
];
const ALL = ROWS.reduce((s, r) => s + r.costMicros, 0);

async function withServices(tempDir: () => string, run: (services: Services) => Promise<void>) {
  const services = await createServices({ dataDir: tempDir(), host: 'web', logger: silentLogger, clock: manualClock(NOW) });
  try {
    expect(await services.registry.dispatch('settings.update', { timeZone: 'UTC' })).toMatchObject({ ok: true });
    await services.ai.ledger.rebuilt();
    await run(services);
  } finally {
    await services.close();
  }
}

async function ask<T>(services: Services, method: 'costs.stats' | 'costs.breakdown' | 'costs.series', input: unknown): Promise<T> {
  const answer = await services.registry.dispatch(method, input as never);
  if (!answer.ok) throw new Error(`${method} refused: ${JSON.stringify(answer.error)}`);
  return answer.value as T;
}

/** What each question answers, reduced to the figures a zone change can move. */
async function snapshot(services: Services) {
  const stats = await ask<CostStats>(services, 'costs.stats', {});
  const period = (p: CostStats['today']) => ({ from: p.from, to: p.to, micros: p.total.micros, requests: p.total.requests });
  const series = await ask<CostSeries>(services, 'costs.series', { from: '2026-10-31', to: '2026-11-26' });
  const byDay = Object.fromEntries(series.days.map((d, i) => [d, series.totals[i]!]).filter(([, m]) => m !== 0));
  const breakdown = async (groupBy: string[], from: string, to: string) => {
    const b = await ask<Breakdown>(services, 'costs.breakdown', { groupBy, from, to });
    return { rows: b.rows.map((r) => [...groupBy.map((g) => r.key[g as keyof typeof r.key]), r.micros]), total: b.total.micros };
  };
  return {
    zone: stats.zone,
    today: period(stats.today),
    yesterday: period(stats.yesterday),
    thisMonth: period(stats.thisMonth),
    last30Days: period(stats.last30Days),
    byDay,
    // One day table (provider), the campaign table, and month tables read whole (campaign × purpose).
    providersOnThe25th: await breakdown(['provider'], '2026-11-25', '2026-11-25'),
    campaignsThisMonth: await breakdown(['campaign'], '2026-11-01', '2026-11-26'),
    mixedOctober: await breakdown(['campaign', 'purpose'], '2026-10-01', '2026-10-31'),
    everything: await breakdown(['provider'], '2026-09-01', '2026-11-26'),
  };
}

describe('a time-zone change that moves rows to another local day', () => {
  const tempDir = useTempDirs();

  it('answers stats, series and breakdowns on the new zone’s days, each row counted once', async () => {
    await withServices(tempDir, async (services) => {
      for (const r of ROWS) await services.ai.ledger.record(r);

      expect(await snapshot(services)).toEqual({
        zone: 'UTC',
        today: { from: '2026-11-26', to: '2026-11-26', micros: 1 + 2, requests: 2 },
        yesterday: { from: '2026-11-25', to: '2026-11-25', micros: 4, requests: 1 },
        thisMonth: { from: '2026-11-01', to: '2026-11-26', micros: 1 + 2 + 4 + 8, requests: 4 },
        last30Days: { from: '2026-10-28', to: '2026-11-26', micros: 1 + 2 + 4 + 8, requests: 4 },
        byDay: { '2026-11-01': 8, '2026-11-25': 4, '2026-11-26': 3 },
        providersOnThe25th: { rows: [['azure', 4]], total: 4 },
        campaignsThisMonth: { rows: [['cmp-2', 12], ['cmp-1', 3]], total: 15 },
        mixedOctober: { rows: [['cmp-1', 'personalize', 16]], total: 16 },
        everything: { rows: [['azure', 22], ['openai', 9]], total: ALL },
      });

      expect(await services.registry.dispatch('settings.update', { timeZone: 'America/Los_Angeles' })).toMatchObject({ ok: true });
      await services.ai.ledger.rebuilt();

      expect(await snapshot(services)).toEqual({
        zone: 'America/Los_Angeles',
        today: { from: '2026-11-26', to: '2026-11-26', micros: 2, requests: 1 },
        yesterday: { from: '2026-11-25', to: '2026-11-25', micros: 1 + 4, requests: 2 },
        thisMonth: { from: '2026-11-01', to: '2026-11-26', micros: 1 + 2 + 4, requests: 3 },
        last30Days: { from: '2026-10-28', to: '2026-11-26', micros: 1 + 2 + 4 + 8, requests: 4 },
        byDay: { '2026-10-31': 8, '2026-11-25': 5, '2026-11-26': 2 },
        providersOnThe25th: { rows: [['azure', 4], ['openai', 1]], total: 5 },
        campaignsThisMonth: { rows: [['cmp-2', 4], ['cmp-1', 3]], total: 7 },
        mixedOctober: { rows: [['cmp-1', 'personalize', 16], ['cmp-2', 'personalize', 8]], total: 24 },
        everything: { rows: [['azure', 22], ['openai', 9]], total: ALL },
      });

      // And back: the rebuild is a function of the rows and the zone, not of the zone it came from.
      expect(await services.registry.dispatch('settings.update', { timeZone: 'UTC' })).toMatchObject({ ok: true });
      await services.ai.ledger.rebuilt();
      const back = await snapshot(services);
      expect(back.byDay).toEqual({ '2026-11-01': 8, '2026-11-25': 4, '2026-11-26': 3 });
      expect(back.everything.total).toBe(ALL);
    });
  });
});
