import { describe, expect, it } from 'vitest';
import { PriceBook } from '../../../main/ai/pricing';
import { calendarFor } from '../../../main/costs/localtime';
import { DEMO_DAYS, historyDay } from '../../../main/demo/history';

describe('the demo spend history', () => {
  const prices = new PriceBook();

  it('is the same every time for the same day, with ids fixed by day, request and attempt', () => {
    const paris = calendarFor('Europe/Paris');
    const now = Date.UTC(2026, 2, 18, 15, 30);
    const a = historyDay(7, now, paris, prices);
    const b = historyDay(7, now, paris, prices);
    expect(b).toEqual(a);
    expect(new Set(a.rows.map((r) => r.id)).size).toBe(a.rows.length);
    // Seeded on another day, the same day index keeps its ids: a replay writes nothing new.
    expect(historyDay(7, now + 86_400_000, paris, prices).rows.map((r) => r.id)).toEqual(a.rows.map((r) => r.id));
    expect(historyDay(8, now, paris, prices).rows.map((r) => r.id)).not.toContain(a.rows[0]!.id);
  });

  it('puts every row on its local day, across a daylight-saving change, and nothing after now', () => {
    const paris = calendarFor('Europe/Paris');
    // 2026-03-29 is the spring change in Paris: the day has 23 hours.
    const now = Date.UTC(2026, 3, 2, 6, 0);
    const today = paris.localDay(now);
    for (let dayIndex = 0; dayIndex < DEMO_DAYS; dayIndex++) {
      const { rows } = historyDay(dayIndex, now, paris, prices);
      expect(rows.length, `day ${dayIndex}`).toBeGreaterThan(dayIndex === 0 ? 0 : 100);
      for (const row of rows) expect(paris.localDay(row.ts), `day ${dayIndex}`).toBe(today - dayIndex);
      expect(rows.every((r) => r.ts <= now)).toBe(true);
      expect(rows.every((r, i) => i === 0 || rows[i - 1]!.ts <= r.ts)).toBe(true);
    }
  });

  it('charges priced models by the price table and a local model nothing', () => {
    const rows = Array.from({ length: 10 }, (_, i) => historyDay(i, Date.UTC(2026, 2, 18, 15), calendarFor('UTC'), prices).rows).flat();
    for (const row of rows) {
      if (row.provider === 'local') expect([row.priceSource, row.costMicros]).toEqual(['unpriced', 0]);
      else expect([row.priceSource, row.costMicros > 0]).toEqual(['table', true]);
    }
    // A dropped stream is charged for what it used, then the fallback serves the request.
    const dropped = rows.find((r) => r.status === 'stream_drop')!;
    expect(rows.find((r) => r.requestId === dropped.requestId && r.attempt === 2)).toMatchObject({ provider: 'openai', status: 'ok' });
  });
});
