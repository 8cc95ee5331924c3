import { describe, expect, it } from 'vitest';
import { forecastSpend } from '../../main/costs/forecast';
import { referenceLocalDate } from '../support/costs';
import type { CostRow } from '../../main/ledger/ledger';
import { manualClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { createServices, type Services } from '../../main/services';
import { addDays, type CostsForecast, dayNumber, type ForecastInput, type ForecastOutput, lastDayOfMonth, MAX_FORECAST_SERIES_DAYS } from '../../shared/forecast';
import { useTempDirs } from '../support/tmp';

const ZONE = 'Asia/Kolkata';
// 20:00 UTC is 01:30 on the 27th in Kolkata: "today" is not the UTC day.
const NOW = Date.UTC(2026, 10, 26, 20);
const HOUR = 3_600_000;
const CAMPAIGN_BUDGET = 2_500_000;

let seq = 0;
const row = (ts: number, provider: CostRow['provider'], costMicros: number, campaignId: string | null = null): CostRow => {
  seq++;
  return {
    id: `c-${seq}`, requestId: `r-${seq}`, attempt: 1, ts, provider, deployment: 'd', baseModel: 'gpt-4o', purpose: 'personalize', campaignId, operatorId: null,
    usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5 }, costMicros, latencyMs: 1, status: 'ok', priceSource: 'table',
  };
};

/** The slow way: each row's local date through Intl, zero-filled, and the wall-clock share of today. */
function referenceInput(rows: CostRow[], now: number, budgets: ForecastInput['budgets']): ForecastInput {
  const today = referenceLocalDate(ZONE, now);
  const byDate = new Map<string, number>();
  for (const r of rows) {
    const d = referenceLocalDate(ZONE, r.ts);
    byDate.set(d, (byDate.get(d) ?? 0) + r.costMicros);
  }
  const dates = [...byDate.keys()].sort();
  let from = dates[0] ?? today;
  if (dayNumber(today) - dayNumber(from) + 1 > MAX_FORECAST_SERIES_DAYS) from = addDays(today, -(MAX_FORECAST_SERIES_DAYS - 1));
  const series: ForecastInput['series'] = [];
  for (let d = from; d <= today; d = addDays(d, 1)) series.push({ date: d, micros: byDate.get(d) ?? 0 });
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(now).map((p) => [p.type, Number(p.value)]));
  return { series, today: { date: today, elapsedFraction: (parts.hour! * 60 + parts.minute!) / 1440 }, monthEnd: lastDayOfMonth(today), budgets };
}

/** A scope's own local days over the eight weeks before today, from its first spend: what its budget is forecast from. */
function scopedReference(rows: CostRow[], now: number, keep: (r: CostRow) => boolean, budget: { id: string; amountMicros: number }): ForecastOutput | null {
  const all = referenceInput(rows.filter(keep), now, [{ ...budget, period: 'monthly' }]);
  const series = all.series.filter((d) => dayNumber(d.date) >= dayNumber(all.today.date) - 56);
  const first = series.findIndex((d) => d.micros > 0);
  return first < 0 ? null : forecastSpend({ ...all, series: series.slice(first) });
}

async function withServices(tempDir: () => string, run: (services: Services) => Promise<void>) {
  const services = await createServices({ dataDir: tempDir(), host: 'web', logger: silentLogger, clock: manualClock(NOW) });
  try {
    expect(await services.registry.dispatch('settings.update', { timeZone: ZONE })).toMatchObject({ ok: true });
    await services.ai.ledger.rebuilt();
    await run(services);
  } finally {
    await services.close();
  }
}

describe('costs.forecast', () => {
  const tempDir = useTempDirs();

  it('projects from the zero-filled local days since the first spend, against the global budgets of the budget model, as the engine does on a reference input', async () => {
    await withServices(tempDir, async (services) => {
      const rows: CostRow[] = [];
      // Five weeks with gaps, rows near local midnight, and a row 900 days back that the window drops.
      for (let d = 35; d >= 0; d--) {
        if (d % 6 === 3) continue;
        rows.push(row(NOW - d * 24 * HOUR - 2 * HOUR, 'azure', 120_000 + d * 1_000, d < 20 ? 'cmp-1' : null));
        rows.push(row(NOW - d * 24 * HOUR - 21 * HOUR, 'openai', 40_000 + (d % 7) * 9_000));
      }
      rows.push(row(NOW - 900 * 24 * HOUR, 'local', 5_000_000));
      for (const r of rows) await services.ai.ledger.record(r);

      // The agency-wide thresholds of the one budget model are what the forecast is drawn against.
      const threshold = { scope: 'global', target: null, levels: [50, 80, 100], hardStop: 'none' } as const;
      const thresholds = [
        { ...threshold, id: 'daily-hard', period: 'day', amountMicros: 250_000 },
        { ...threshold, id: 'monthly-hard', period: 'month', amountMicros: 4_000_000 },
        { ...threshold, id: 'openai-day', scope: 'provider', target: 'openai', period: 'day', amountMicros: 100_000 },
        // Scoped monthly budgets: one already over, one heading over, one whose scope spent nothing in eight weeks.
        { ...threshold, id: 'openai-month', scope: 'provider', target: 'openai', period: 'month', amountMicros: 1_000_000 },
        { ...threshold, id: 'cmp-month', scope: 'campaign', target: 'cmp-1', period: 'month', amountMicros: CAMPAIGN_BUDGET },
        { ...threshold, id: 'local-month', scope: 'provider', target: 'local', period: 'month', amountMicros: 1_000_000 },
      ];
      expect(await services.registry.dispatch('costs.setThresholds', { thresholds })).toMatchObject({ ok: true });

      const answer = await services.registry.dispatch('costs.forecast', {});
      const budgets = [
        { id: 'daily-hard', period: 'daily', amountMicros: 250_000 },
        { id: 'monthly-hard', period: 'monthly', amountMicros: 4_000_000 },
      ] as const;
      const reference = referenceInput(rows, NOW, [...budgets]);
      expect(reference.series).toHaveLength(MAX_FORECAST_SERIES_DAYS);
      expect(reference.today).toEqual({ date: '2026-11-27', elapsedFraction: 1.5 / 24 });
      const scoped = (id: string, scope: 'provider' | 'campaign', target: string, amountMicros: number, keep: (r: CostRow) => boolean) => {
        const f = scopedReference(rows, NOW, keep, { id, amountMicros });
        return {
          id, scope, target, amountMicros,
          monthToDateMicros: f?.monthToDateMicros ?? 0,
          projectedMicros: f?.monthEnd.p50 ?? 0,
          crossesOn: f?.budgets[0]!.crossesOn ?? null,
          earliestOn: f?.budgets[0]!.earliestOn ?? null,
        };
      };
      const scopedBudgets = [
        scoped('openai-month', 'provider', 'openai', 1_000_000, (r) => r.provider === 'openai'),
        scoped('cmp-month', 'campaign', 'cmp-1', CAMPAIGN_BUDGET, (r) => r.campaignId === 'cmp-1'),
        scoped('local-month', 'provider', 'local', 1_000_000, (r) => r.provider === 'local'),
      ];
      expect(answer).toEqual({ ok: true, value: { ...forecastSpend(reference), scopedBudgets } });
      if (!answer.ok) return;
      const value = answer.value as CostsForecast;
      // Each scoped budget dated from its own spend: over already, crossing later this month, never.
      expect(value.scopedBudgets.map((b) => [b.id, b.crossesOn, b.earliestOn])).toEqual([
        ['openai-month', '2026-11-27', '2026-11-27'],
        ['cmp-month', '2026-11-29', '2026-11-29'],
        ['local-month', null, null],
      ]);
      expect(value.method).toBe('weekday_holt');
      expect(value.path.at(-1)!.date).toBe('2026-11-30');
      expect(value.budgets.map((b) => b.id)).toEqual(['daily-hard', 'monthly-hard']);
    });
  });

  it('answers with nothing to go on when nothing was spent, with no budgets while none is set, and refuses input', async () => {
    await withServices(tempDir, async (services) => {
      const answer = await services.registry.dispatch('costs.forecast', {});
      expect(answer).toMatchObject({ ok: true, value: { method: 'none', monthToDateMicros: 0, monthEnd: { p10: 0, p50: 0, p90: 0 }, budgets: [], scopedBudgets: [] } });
      if (answer.ok) expect((answer.value as ForecastOutput).path.map((p) => p.date)).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30']);
      const bad = await services.registry.dispatch('costs.forecast', { budgets: [] } as never);
      expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });

      // Today only: extrapolated from what today has spent so far.
      await services.ai.ledger.record(row(NOW - HOUR, 'azure', 300_000));
      const run = await services.registry.dispatch('costs.forecast', {});
      expect(run).toEqual({ ok: true, value: { ...forecastSpend(referenceInput([row(NOW - HOUR, 'azure', 300_000)], NOW, [])), scopedBudgets: [] } });
      expect(run).toMatchObject({ ok: true, value: { method: 'none', monthToDateMicros: 300_000 } });
    });
  });
});
