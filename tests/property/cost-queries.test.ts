import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostQueries } from '../../main/costs/queries';
import { openDatabase } from '../../main/db/open';
import { Ledger } from '../../main/ledger/ledger';
import { manualClock } from '../../main/ports/clock';
import { breakdownInputSchema, COST_DIMENSIONS, type CostDimension, dayNumber, isoDay, type Measures } from '../../shared/costs';
import { costRowArb, type RefRow, referenceFacts, TEST_ZONES } from '../support/costs';
import { useTempDirs } from '../support/tmp';

const NOW = Date.UTC(2026, 10, 26, 12);
const FIELD: Record<CostDimension, keyof RefRow> = { provider: 'provider', model: 'model', purpose: 'purpose', campaign: 'campaign_id', operator: 'operator_id' };
const measures = (facts: RefRow[]): Measures => ({
  micros: facts.reduce((s, f) => s + f.cost_micros, 0),
  requests: facts.length,
  inputTokens: facts.reduce((s, f) => s + f.input_tokens, 0),
  cachedInputTokens: facts.reduce((s, f) => s + f.cached_input_tokens, 0),
  outputTokens: facts.reduce((s, f) => s + f.output_tokens, 0),
});
const sortKey = (o: object) => JSON.stringify(o);

const breakdownArb = fc.record({
  groupBy: fc.shuffledSubarray([...COST_DIMENSIONS], { minLength: 1, maxLength: 3 }),
  from: fc.integer({ min: dayNumber('2025-12-20'), max: dayNumber('2027-02-05') }),
  span: fc.integer({ min: 0, max: 420 }),
  filters: fc.record(
    { provider: fc.constantFrom('azure', 'openai'), purpose: fc.constantFrom('personalize', 'copy'), campaign: fc.constantFrom(null, 'cmp-1', 'cmp-2'), operator: fc.constantFrom(null, 'op-1') },
    { requiredKeys: [] },
  ),
  top: fc.integer({ min: 1, max: 12 }),
});

describe('cost queries against a slow reference computed from ai_costs', () => {
  const tempDir = useTempDirs();

  it('breakdown, stats, series and campaign costs match for random rows, zones and inputs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TEST_ZONES), fc.array(costRowArb, { minLength: 100, maxLength: 400 }), fc.array(breakdownArb, { minLength: 4, maxLength: 10 }), async (zone, rows, asks) => {
        const db = openDatabase(join(tempDir(), 'huntaze.db'));
        const clock = manualClock(NOW);
        const ledger = new Ledger(db, clock, undefined, { timeZone: zone });
        await ledger.rebuilt();
        try {
          const written = rows.map((r) => ledger.record(r));
          ledger.flush();
          await Promise.all(written);
          const q = new CostQueries(db, clock, ledger);
          const facts = referenceFacts(db, zone);

          for (const ask of asks) {
            const input = breakdownInputSchema.parse({ groupBy: ask.groupBy, from: isoDay(ask.from), to: isoDay(ask.from + ask.span), filters: ask.filters, top: ask.top });
            const inRange = facts.filter(
              (f) => f.day >= ask.from && f.day <= ask.from + ask.span && Object.entries(ask.filters).every(([d, v]) => f[FIELD[d as CostDimension]] === (v ?? '')),
            );
            const groups = new Map<string, RefRow[]>();
            for (const f of inRange) {
              const k = JSON.stringify(ask.groupBy.map((d) => f[FIELD[d]]));
              groups.set(k, [...(groups.get(k) ?? []), f]);
            }
            const got = q.breakdown(input);
            expect(got.total).toEqual(measures(inRange));
            const expectedRows = [...groups.entries()].map(([k, fs]) => ({
              key: Object.fromEntries(ask.groupBy.map((d, i) => [d, (JSON.parse(k) as string[])[i] === '' && (d === 'campaign' || d === 'operator') ? null : (JSON.parse(k) as string[])[i]])),
              ...measures(fs),
            }));
            const named = got.rows.filter((r) => !r.other);
            expect(named.length).toBe(Math.min(ask.top, groups.size));
            // Ties in micros make the top N ambiguous: check the named rows are real groups and the rest sums up.
            for (const r of named) expect(expectedRows.map(sortKey)).toContain(sortKey({ key: r.key, micros: r.micros, requests: r.requests, inputTokens: r.inputTokens, cachedInputTokens: r.cachedInputTokens, outputTokens: r.outputTokens }));
            const micros = expectedRows.map((r) => r.micros).sort((a, b) => b - a);
            expect(named.map((r) => r.micros)).toEqual(micros.slice(0, ask.top));
            const other = got.rows.find((r) => r.other);
            expect(other?.micros ?? 0).toBe(micros.slice(ask.top).reduce((s, m) => s + m, 0));
            expect(Boolean(other)).toBe(groups.size > ask.top);
          }

          const today = dayNumber(new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(NOW));
          const stats = q.stats();
          const span = (a: number, b: number) => facts.filter((f) => f.day >= a && f.day <= b);
          expect(stats.today.total).toEqual(measures(span(today, today)));
          expect(stats.yesterday.total).toEqual(measures(span(today - 1, today - 1)));
          expect(stats.last30Days.total).toEqual(measures(span(today - 29, today)));
          expect(stats.thisMonth.total).toEqual(measures(span(dayNumber(isoDay(today).slice(0, 8) + '01'), today)));
          expect(stats.last30Days.byProvider.reduce((s, p) => s + p.micros, 0)).toBe(stats.last30Days.total.micros);

          const from = dayNumber('2026-03-01');
          const series = q.series({ from: '2026-03-01', to: '2026-04-30', byModel: false });
          expect(series.days).toHaveLength(61);
          for (let i = 0; i < 61; i++) expect(series.totals[i]).toBe(measures(span(from + i, from + i)).micros);
          for (const s of series.series) expect(s.micros.reduce((a, b) => a + b, 0)).toBe(measures(span(from, from + 60).filter((f) => f.provider === s.provider)).micros);

          const mine = facts.filter((f) => f.campaign_id === 'cmp-1');
          const c = q.campaign('cmp-1');
          expect(c.total).toEqual(measures(mine));
          const messages = mine.filter((f) => f.purpose === 'personalize').length;
          expect(c.messages).toBe(messages);
          expect(c.perMessageMicros).toBe(messages ? Math.round(measures(mine).micros / messages) : null);
          expect(c.timeline.reduce((s, d) => s + d.micros, 0)).toBe(measures(mine).micros);
          if (mine.length) expect(c.timeline).toHaveLength(Math.max(...mine.map((f) => f.day)) - Math.min(...mine.map((f) => f.day)) + 1);
        } finally {
          db.close();
        }
      }),
      { numRuns: 20 },
    );
  });
});
