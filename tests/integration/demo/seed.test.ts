import { describe, expect, it } from 'vitest';
import type { EventName, Input, MethodName, Output } from '../../../shared/contract';
import { addDays } from '../../../shared/forecast';
import { manualClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { createServices, type Services } from '../../../main/services';
import { useTempDirs } from '../../support/tmp';

/** A Wednesday afternoon in Paris. */
const NOW = Date.UTC(2026, 2, 18, 15, 30);

async function ask<M extends MethodName>(services: Services, method: M, input: Input<M>): Promise<Output<M>> {
  const result = await services.registry.dispatch(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.value as Output<M>;
}

describe('the demo seed over real SQLite files', () => {
  const tempDir = useTempDirs();

  async function open() {
    const services = await createServices({ dataDir: tempDir(), host: 'web', clock: manualClock(NOW), logger: silentLogger });
    await ask(services, 'settings.update', { timeZone: 'Europe/Paris' });
    await services.ai.ledger.rebuilt();
    return services;
  }

  const days = (today: string, from: number, to: number) => ({ from: addDays(today, -from), to: addDays(today, -to) });

  it('is refused in the live profile, and leaves it empty', async () => {
    const services = await open();
    expect(await ask(services, 'demo.state', {})).toEqual({ firstRun: true, seededAt: null, liveProviderConfigured: false });
    expect(await services.registry.dispatch('demo.seed', {})).toEqual({ ok: false, error: { kind: 'conflict', code: 'demo_live', params: {} } });
    const stats = await ask(services, 'costs.stats', {});
    expect(stats.last30Days.total.requests).toBe(0);
    expect(await ask(services, 'demo.state', {})).toMatchObject({ firstRun: true, seededAt: null });
    await services.close();
  });

  it('fills the Sandbox with 60 days across providers, models, purposes, campaigns and operators, once, and never live', async () => {
    const services = await open();
    await ask(services, 'settings.update', { sandboxMode: true });
    const progress: unknown[] = [];
    services.events.subscribe((event: EventName, payload) => event === 'demo.progress' && progress.push(payload));

    const first = await ask(services, 'demo.seed', {});
    expect(first.costRows).toBeGreaterThan(5_000);
    expect(first.seededAt).toBe(NOW);
    expect(progress.at(-1)).toEqual({ step: 'spend', stepIndex: 1, steps: 2, done: 60, total: 60 });
    expect(await ask(services, 'demo.state', {})).toEqual({ firstRun: false, seededAt: NOW, liveProviderConfigured: false });

    const stats = await ask(services, 'costs.stats', {});
    const today = stats.today.from;
    expect(today).toBe('2026-03-18');
    expect(stats.today.total.requests).toBeGreaterThan(0);
    expect(stats.thisMonth.total.micros).toBeGreaterThan(stats.today.total.micros);
    expect(stats.last30Days.total.micros).toBeGreaterThan(stats.thisMonth.total.micros);

    // Every one of the 60 days has spend; the day before them has none.
    const series = await ask(services, 'costs.series', { ...days(today, 60, 0), byModel: false });
    expect(series.totals[0]).toBe(0);
    expect(series.totals.slice(1).every((m) => m > 0)).toBe(true);

    const sixty = days(today, 59, 0);
    const by = async (dimension: 'provider' | 'model' | 'purpose' | 'campaign' | 'operator') =>
      (await ask(services, 'costs.breakdown', { ...sixty, groupBy: [dimension], top: 100 })).rows.map((r) => r.key[dimension]).sort();
    expect(await by('provider')).toEqual(['azure', 'local', 'openai']);
    expect(await by('model')).toEqual(['gpt-4o', 'gpt-4o-mini', 'llama3.1']);
    expect(await by('purpose')).toEqual(['analysis', 'copy', 'personalize', 'reply']);
    expect(await by('operator')).toEqual(['Ana', 'Jordan', 'Léa', 'Marc']);
    const campaigns = await by('campaign');
    expect(campaigns.filter((c) => c !== null)).toHaveLength(5);
    expect(campaigns).toContain(null);

    // A weekly pattern and a trend: weekends above weekdays, the last fortnight above the first.
    const weekday = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();
    const mean = (pick: (date: string, i: number) => boolean) => {
      const values = series.totals.filter((_, i) => i > 0 && i < series.totals.length - 1 && pick(series.days[i]!, i));
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    expect(mean((d) => weekday(d) === 6 || weekday(d) === 0)).toBeGreaterThan(mean((d) => weekday(d) >= 1 && weekday(d) <= 3));
    expect(mean((_, i) => i >= 46)).toBeGreaterThan(mean((_, i) => i <= 15));

    // The request log holds the same requests, oldest to today, fallbacks with their unbilled first try.
    const logged = async () => {
      const all = [];
      for (let page = await ask(services, 'requests.list', { limit: 200 }); ; page = await ask(services, 'requests.list', { limit: 200, before: page.nextCursor! })) {
        all.push(...page.rows);
        if (!page.nextCursor) return all;
      }
    };
    const requests = await logged();
    expect(new Set(requests.map((r) => r.id)).size).toBe(requests.length);
    const sixtyDays = await ask(services, 'costs.breakdown', { ...days(today, 59, 0), groupBy: ['provider'] });
    expect(requests.reduce((sum, r) => sum + r.costMicros, 0)).toBe(sixtyDays.total.micros);
    const fallback = requests.find((r) => r.provider === 'openai' && r.attemptCount === 2)!;
    const detail = await ask(services, 'requests.get', { id: fallback.id });
    expect(detail?.attempts.map((a) => [a.provider, a.outcome, a.costMicros > 0])).toEqual([['azure', 'rate_limited', false], ['openai', 'ok', true]]);

    const again = await ask(services, 'demo.seed', {});
    expect(again.costRows).toBe(0);
    expect(await ask(services, 'costs.stats', {})).toEqual(stats);
    expect((await logged()).length).toBe(requests.length);

    await ask(services, 'settings.update', { sandboxMode: false });
    const live = await ask(services, 'costs.stats', {});
    expect(live.last30Days.total.requests).toBe(0);
    expect(live.thisMonth.total.micros).toBe(0);
    expect((await ask(services, 'costs.breakdown', { ...sixty, groupBy: ['provider'] })).rows).toEqual([]);
    expect((await ask(services, 'requests.list', {})).rows).toEqual([]);
    expect(await services.registry.dispatch('demo.seed', {})).toMatchObject({ ok: false, error: { code: 'demo_live' } });
    await services.close();
  });

  it('keeps the demo across a restart: the Sandbox still holds it, and Home no longer counts as a first run', async () => {
    const dataDir = tempDir();
    const first = await createServices({ dataDir, host: 'web', clock: manualClock(NOW), logger: silentLogger });
    await ask(first, 'settings.update', { sandboxMode: true });
    const seeded = await ask(first, 'demo.seed', {});
    const before = await ask(first, 'costs.stats', {});
    await first.close();

    const second = await createServices({ dataDir, host: 'web', clock: manualClock(NOW), logger: silentLogger });
    expect(await ask(second, 'demo.state', {})).toMatchObject({ firstRun: false, seededAt: seeded.seededAt });
    expect((await ask(second, 'costs.stats', {})).last30Days).toEqual(before.last30Days);
    expect((await ask(second, 'demo.seed', {})).costRows).toBe(0);
    await second.close();
  });
});
