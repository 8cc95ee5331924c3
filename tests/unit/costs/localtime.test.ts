import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFor, civilOfDay, firstDayOfMonth, monthOfDay, nextMonth } from '../../../main/costs/localtime';
import { referenceLocalDate } from '../../support/costs';
import { dayNumber, isoDay } from '../../../shared/costs';

/** Zones with DST, half- and quarter-hour offsets, a 30-minute DST shift, date-line jumps and none at all. */
export const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Europe/Paris', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Apia', 'America/St_Johns', 'Pacific/Chatham'];

const MIN = Date.UTC(1971, 0, 1);
const MAX = Date.UTC(2100, 0, 1);

/** Instants near a DST transition of each year, where a wrong cache would show first. */
function transitionsOf(zone: string, year: number): number[] {
  const out: number[] = [];
  const cal = calendarFor(zone);
  let prev = cal.offset(Date.UTC(year, 0, 1));
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 900_000) {
    const off = cal.offset(t);
    if (off !== prev) out.push(t);
    prev = off;
  }
  return out;
}

describe('local days and months', () => {
  it('agree with Intl for any instant in any zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: MIN, max: MAX }), (zone, ts) => {
        const cal = calendarFor(zone);
        const expected = referenceLocalDate(zone, ts);
        expect(isoDay(cal.localDay(ts))).toBe(expected);
        expect(cal.localMonth(ts)).toBe(Number(expected.slice(0, 4)) * 100 + Number(expected.slice(5, 7)));
      }),
      { numRuns: 3000 },
    );
  });

  it('are exact in the minutes around each DST transition, second by second at the edge', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Lord_Howe']) {
      const edges = transitionsOf(zone, 2026);
      expect(edges.length).toBeGreaterThanOrEqual(2);
      const cal = calendarFor(zone);
      for (const edge of edges) {
        for (let t = edge - 3_600_000; t <= edge + 3_600_000; t += 61_000) expect(isoDay(cal.localDay(t))).toBe(referenceLocalDate(zone, t));
        for (let t = edge - 2_000; t <= edge + 2_000; t += 250) expect(isoDay(cal.localDay(t))).toBe(referenceLocalDate(zone, t));
      }
    }
  });

  it('place the local midnight of a half-hour zone on the right side', () => {
    const kolkata = calendarFor('Asia/Kolkata');
    // 18:29:59.999 UTC is 23:59:59.999 in Kolkata; a millisecond later is the next day.
    expect(isoDay(kolkata.localDay(Date.UTC(2026, 10, 26, 18, 29, 59, 999)))).toBe('2026-11-26');
    expect(isoDay(kolkata.localDay(Date.UTC(2026, 10, 26, 18, 30)))).toBe('2026-11-27');
    // Lord Howe's DST shift is 30 minutes.
    const lh = calendarFor('Australia/Lord_Howe');
    expect(lh.offset(Date.UTC(2026, 0, 15)) - lh.offset(Date.UTC(2026, 6, 15))).toBe(30 * 60_000);
  });

  it('convert day numbers, dates and months both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60_000 }), (day) => {
        const iso = isoDay(day);
        expect(dayNumber(iso)).toBe(day);
        const c = civilOfDay(day);
        expect(`${c.year}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`).toBe(iso);
        const month = monthOfDay(day);
        expect(firstDayOfMonth(month)).toBeLessThanOrEqual(day);
        expect(firstDayOfMonth(nextMonth(month))).toBeGreaterThan(day);
      }),
    );
  });
});
