import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/ports/logger';
import { manualClock } from '../../main/ports/clock';
import { createServices } from '../../main/services';
import { useTempDirs } from '../support/tmp';

const NOW = Date.UTC(2026, 10, 26, 20);

describe('costs through the registry', () => {
  const tempDir = useTempDirs();

  it('refuses an unknown time zone by rule, then re-buckets the active profile into a valid one with progress and a costs.updated', async () => {
    const services = await createServices({ dataDir: tempDir(), host: 'web', logger: silentLogger, clock: manualClock(NOW) });
    try {
      const bad = await services.registry.dispatch('settings.update', { timeZone: 'Mars/Olympus_Mons' });
      expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ path: ['timeZone'], params: { rule: 'time_zone' } }] } });

      await services.ai.ledger.record({
        id: 'c-1', requestId: 'r-1', attempt: 1, ts: Date.UTC(2026, 10, 26, 18, 45), provider: 'azure', deployment: 'd', baseModel: 'gpt-4o', purpose: 'personalize',
        campaignId: 'cmp-1', operatorId: null, usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5 }, costMicros: 1234, latencyMs: 1, status: 'ok', priceSource: 'table',
      });
      await services.ai.ledger.rebuilt();
      const seen: [string, unknown][] = [];
      services.events.subscribe((e, p) => seen.push([e, p]));

      expect(await services.registry.dispatch('settings.update', { timeZone: 'UTC' })).toMatchObject({ ok: true, value: { timeZone: 'UTC' } });
      await services.ai.ledger.rebuilt();
      const utc = await services.registry.dispatch('costs.stats', {});
      expect(utc).toMatchObject({ ok: true, value: { zone: 'UTC', today: { from: '2026-11-26', total: { micros: 1234, requests: 1 } } } });

      // Coalesced: this one may trail the window opened by the earlier commit, so it is awaited, not polled.
      const updated = new Promise<unknown>((resolve) => services.events.subscribe((e, p) => e === 'costs.updated' && resolve(p)));
      expect(await services.registry.dispatch('settings.update', { timeZone: 'Asia/Kolkata' })).toMatchObject({ ok: true });
      await services.ai.ledger.rebuilt();
      // 18:45 UTC is 00:15 on the 27th in Kolkata, and "today" there is the 27th too.
      const kolkata = await services.registry.dispatch('costs.stats', {});
      expect(kolkata).toMatchObject({ ok: true, value: { zone: 'Asia/Kolkata', today: { from: '2026-11-27', total: { micros: 1234 } }, yesterday: { total: { micros: 0 } } } });
      expect(seen).toContainEqual(['costs.rebuild', { zone: 'Asia/Kolkata', done: 1, total: 1, finished: true }]);
      expect(await updated).toEqual({ day: expect.stringMatching(/^2026-11-2[67]$/) });

      const campaign = await services.registry.dispatch('campaigns.costs', { campaignId: 'cmp-1' });
      expect(campaign).toMatchObject({ ok: true, value: { total: { micros: 1234 }, messages: 1, perMessageMicros: 1234, timeline: [{ day: '2026-11-27', micros: 1234, requests: 1 }] } });
      const badRange = await services.registry.dispatch('costs.breakdown', { groupBy: ['provider'], from: '2026-11-27', to: '2026-11-01' });
      expect(badRange).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ params: { rule: 'date_order' } }] } });
      const breakdown = await services.registry.dispatch('costs.breakdown', { groupBy: ['campaign', 'purpose'], from: '2026-11-01', to: '2026-11-30' });
      expect(breakdown).toMatchObject({ ok: true, value: { rows: [{ key: { campaign: 'cmp-1', purpose: 'personalize' }, micros: 1234, other: false }], total: { micros: 1234 } } });
    } finally {
      await services.close();
    }
  });
});
