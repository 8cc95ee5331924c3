import { join } from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { type Db, openDatabase } from '../../../main/db/open';
import { RequestLog, type RequestRecord } from '../../../main/requests/log';
import { RequestQueries, REQUESTS_SCAN_WINDOW } from '../../../main/requests/queries';
import type { RequestFilters, RequestRow } from '../../../shared/requests';
import { requestsListInputSchema } from '../../../shared/requests';
import { fakeRequests } from '../../support/requests';

const N = 100_000;

/** What a filter should keep, decided here from the records themselves, not from SQL. */
function keeps(r: RequestRecord, f: RequestFilters): boolean {
  const res = r.result;
  const provider = res.provider ?? res.attempts.at(-1)?.provider ?? null;
  if (f.provider && provider !== f.provider) return false;
  if (f.outcome && res.outcome !== f.outcome) return false;
  if (f.purpose && r.request.purpose !== f.purpose) return false;
  if (f.campaign && r.request.campaignId !== f.campaign) return false;
  if (f.search) {
    const s = f.search.toLowerCase();
    const deployment = res.deployment ?? res.attempts.at(-1)?.deployment ?? null;
    const model = res.baseModel ?? res.attempts.at(-1)?.baseModel ?? null;
    if (![res.requestId, r.request.campaignId, r.request.operatorId, deployment, model].some((v) => v?.toLowerCase().includes(s))) return false;
  }
  return true;
}

describe('request log paging over 100,000 requests', () => {
  let dir: string;
  let db: Db;
  let records: RequestRecord[];
  let queries: RequestQueries;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'huntaze-test-'));
    db = openDatabase(join(dir, 'requests.db'));
    records = fakeRequests(N);
    // Through the real write path, in large transactions (the seed's way), shuffled by chunk so insertion order is not time order.
    const log = new RequestLog(db);
    const chunks: RequestRecord[][] = [];
    for (let i = 0; i < N; i += 10_000) chunks.push(records.slice(i, i + 10_000));
    for (const c of [chunks[3], chunks[0], chunks[9], chunks[1], chunks[5], chunks[2], chunks[8], chunks[4], chunks[7], chunks[6]]) log.writeMany(c!);
    queries = new RequestQueries(db);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Pages to the end through the contract's own input schema; every page asked of the store. */
  function pageAll(filters: RequestFilters, limit = 200) {
    const rows: RequestRow[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = queries.list(requestsListInputSchema.parse({ before, limit, filters }));
      expect(page.rows.length).toBeLessThanOrEqual(limit);
      rows.push(...page.rows);
      before = page.nextCursor ?? undefined;
      pages++;
    } while (before);
    return { rows, pages };
  }

  const expectNewestFirst = (rows: RequestRow[]) => {
    const outOfOrder = rows.findIndex((r, i) => i > 0 && r.ts > rows[i - 1]!.ts);
    expect(outOfOrder).toBe(-1);
  };

  it('pages to the end unfiltered, every request exactly once, newest first, ties on the same millisecond included', () => {
    const { rows, pages } = pageAll({});
    expect(pages).toBe(N / 200);
    expect(new Set(rows.map((r) => r.id)).size).toBe(N);
    expect(rows.length).toBe(N);
    expectNewestFirst(rows);
    expect(rows[0]!.ts).toBe(records[N - 1]!.ts);
    expect(rows.at(-1)!.ts).toBe(records[0]!.ts);
  });

  it.each<[string, RequestFilters]>([
    ['provider', { provider: 'openai' }],
    ['outcome', { outcome: 'failed' }],
    ['purpose and outcome', { purpose: 'copy', outcome: 'refused' }],
    ['campaign, provider and purpose', { campaign: 'welcome-nov', provider: 'local', purpose: 'personalize' }],
    ['campaign', { campaign: 'vip-mass' }],
    ['search by operator', { search: 'CHLOE' }],
    ['search by model with a provider', { search: 'llama', outcome: 'ok' }],
    ['a filter nothing matches', { campaign: 'no-such-campaign' }],
  ])('filters by %s: exactly the matching requests, each once', (_name, filters) => {
    const expected = new Set(records.filter((r) => keeps(r, filters)).map((r) => r.result.requestId));
    const { rows } = pageAll(filters);
    expect(rows.length).toBe(expected.size);
    expect(new Set(rows.map((r) => r.id))).toEqual(expected);
    expectNewestFirst(rows);
  });

  it('finds one request by a piece of its id', () => {
    const target = records[54_321]!.result.requestId;
    const { rows } = pageAll({ search: target.slice(-12) });
    expect(rows.map((r) => r.id)).toEqual([target]);
  });

  it('a filtered page looks at a bounded window and says where to go on, even when it found nothing there', () => {
    const page = queries.list({ limit: 50, filters: { search: 'no-such-text-anywhere' } });
    expect(page.rows).toEqual([]);
    expect(page.nextCursor).not.toBeNull();
    const [ts] = page.nextCursor!.split('.').map(Number);
    // The cursor stands on the last row of the window: REQUESTS_SCAN_WINDOW rows from the newest.
    expect(ts).toBe(records[N - REQUESTS_SCAN_WINDOW]!.ts);
  });

  it('the detail carries every attempt as it happened', () => {
    const r = records.find((x) => x.result.attempts.length === 2 && x.result.outcome === 'ok')!;
    const detail = queries.get(r.result.requestId)!;
    expect(detail.attempts).toEqual(r.result.attempts);
    expect(detail).toMatchObject({ servedByFallback: true, attemptCount: 2, costMicros: r.result.costMicros, campaignId: r.request.campaignId ?? null });
    expect(queries.get('00000000-0000-7000-8000-000000000000')).toBeNull();
  });

  it('every filter combination pages from an index, with and without a cursor: no table scan, no sort', () => {
    const FIELDS: (keyof RequestFilters)[] = ['provider', 'outcome', 'purpose', 'campaign', 'search'];
    const value: Required<RequestFilters> = { provider: 'azure', outcome: 'ok', purpose: 'copy', campaign: 'vip-mass', search: 'x' };
    for (let mask = 0; mask < 1 << FIELDS.length; mask++) {
      const filters: RequestFilters = Object.fromEntries(FIELDS.filter((_, i) => mask & (1 << i)).map((f) => [f, value[f]]));
      for (const withCursor of [false, true]) {
        const lead = queries.leadFor(filters);
        const params: Record<string, unknown> = { window: 201 };
        if (lead) params.lead = filters[lead.filter];
        if (withCursor) Object.assign(params, { ts: records[50_000]!.ts, seq: 50_000 });
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${queries.sqlFor(lead, withCursor)}`).all(params) as { detail: string }[]).map((p) => p.detail);
        const where = JSON.stringify({ filters, withCursor, plan });
        expect(plan, where).toHaveLength(1);
        expect(plan[0], where).toMatch(/^(SEARCH|SCAN) ai_requests USING INDEX ai_requests_/);
        if (withCursor || lead) expect(plan[0], where).toMatch(/^SEARCH/);
        expect(plan.join(' '), where).not.toMatch(/TEMP B-TREE/);
      }
    }
  });
});
