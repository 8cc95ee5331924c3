import { describe, expect, it } from 'vitest';
import type { RequestRow } from '../../shared/requests';
import { fetchAll, fetchPage } from '../../renderer/src/pages/requests/fetchPage';
import { requestsCsv } from '../../renderer/src/pages/requests/requestsCsv';

const row = (i: number, overrides: Partial<RequestRow> = {}): RequestRow => ({
  id: `r${i}`, ts: Date.UTC(2026, 10, 26, 12, 0, 0) - i * 1000, purpose: 'copy', modelClass: 'premium', campaignId: null, operatorId: null,
  outcome: 'ok', errorKind: null, provider: 'azure', deployment: 'prod-chat-eu', baseModel: 'gpt-4o', attemptCount: 1,
  usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5 }, costMicros: 1, latencyMs: 300, servedByFallback: false, downgraded: false, ...overrides,
});

/** A log of `n` rows the way the core answers: at most `window` rows looked at per call, `keep` deciding matches. */
function fakeCore(n: number, window: number, keep: (i: number) => boolean) {
  const calls: { before?: string; limit: number }[] = [];
  const list = async ({ before, limit = 50 }: { before?: string; limit?: number }) => {
    calls.push({ before, limit });
    const start = before ? Number(before.split('.')[1]) + 1 : 0;
    const rows: RequestRow[] = [];
    let i = start;
    for (; i < Math.min(n, start + window) && rows.length <= limit; i++) if (keep(i)) rows.push(row(i));
    if (rows.length > limit) return { rows: rows.slice(0, limit), nextCursor: `0.${Number(rows[limit - 1]!.id.slice(1))}` };
    return { rows, nextCursor: i >= n ? null : `0.${i - 1}` };
  };
  return { list, calls };
}

describe('request log paging in the renderer', () => {
  it('asks again from where a short window stopped until the page is full', async () => {
    const core = fakeCore(10_000, 100, (i) => i % 40 === 0);
    const page = await fetchPage({ limit: 5, filters: {} }, core.list);
    expect(page.rows.map((r) => r.id)).toEqual(['r0', 'r40', 'r80', 'r120', 'r160']);
    // Each call asks only for what the page still lacks.
    expect(core.calls.map((c) => c.limit)).toEqual([5, 2]);
    expect(page.nextCursor).not.toBeNull();
  });

  it('stops after a bounded number of calls on a filter that matches nothing, keeping the cursor', async () => {
    const core = fakeCore(1_000_000, 100, () => false);
    const page = await fetchPage({ limit: 5, filters: {} }, core.list, 20);
    expect(page.rows).toEqual([]);
    expect(core.calls).toHaveLength(20);
    expect(page.nextCursor).toBe('0.1999');
  });

  it('exports every matching row exactly once', async () => {
    const core = fakeCore(2_500, 300, (i) => i % 3 !== 1);
    const rows = await fetchAll({}, core.list);
    const expected = Array.from({ length: 2_500 }, (_, i) => i).filter((i) => i % 3 !== 1).map((i) => `r${i}`);
    expect(rows.map((r) => r.id)).toEqual(expected);
  });
});

describe('request log CSV', () => {
  const labels = {
    column: (c: string) => c,
    purpose: (p: string) => `P:${p}`,
    modelClass: (c: string) => c,
    outcome: (o: string) => o,
    error: (k: string) => `E:${k}`,
    yes: 'yes',
    no: 'no',
  };

  it('writes exact dollars from micros, UTC times, and defuses formula-like ids', () => {
    const csv = requestsCsv(
      [
        row(0, { costMicros: 1_234_567, campaignId: '=HYPERLINK("x")', operatorId: 'op, anna' }),
        row(1, { outcome: 'failed', errorKind: 'unauthorized', provider: null, deployment: null, baseModel: null, costMicros: 0, servedByFallback: true }),
      ],
      labels,
    );
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[1]).toBe('r0,2026-11-26T12:00:00.000Z,P:copy,premium,ok,,azure,prod-chat-eu,gpt-4o,1,10,0,5,1.234567,300,"\'=HYPERLINK(""x"")","op, anna",no');
    expect(lines[2]).toBe('r1,2026-11-26T11:59:59.000Z,P:copy,premium,failed,E:unauthorized,,,,1,10,0,5,0.000000,300,,,yes');
  });
});
