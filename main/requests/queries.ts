import type { Attempt, CompletionResult } from '../../shared/ai';
import type { RequestDetail, RequestFilters, RequestRow, RequestsPage } from '../../shared/requests';
import type { Db } from '../db/open';

/**
 * How many rows of the chosen index one filtered page looks at, at most. Filters the index does
 * not lead with, and search, are checked on this window only: a page costs the same on a log of
 * a thousand rows or ten million, and may come back short with a cursor to go on from.
 */
export const REQUESTS_SCAN_WINDOW = 2_000;

/** The index each equality filter pages from, most selective first; every one ends in (ts, rowid). */
const LEADS = [
  { filter: 'campaign', column: 'campaign_id', index: 'ai_requests_campaign' },
  { filter: 'provider', column: 'provider', index: 'ai_requests_provider' },
  { filter: 'purpose', column: 'purpose', index: 'ai_requests_purpose' },
  { filter: 'outcome', column: 'outcome', index: 'ai_requests_outcome' },
] as const;
type Lead = (typeof LEADS)[number];

const COLUMNS = `seq, id, ts, purpose, model_class, campaign_id, operator_id, outcome, error_kind, provider, deployment, base_model,
  attempt_count, input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, served_by_fallback, downgraded`;

interface DbRow {
  seq: number;
  id: string;
  ts: number;
  purpose: RequestRow['purpose'];
  model_class: RequestRow['modelClass'];
  campaign_id: string | null;
  operator_id: string | null;
  outcome: RequestRow['outcome'];
  error_kind: RequestRow['errorKind'];
  provider: RequestRow['provider'];
  deployment: string | null;
  base_model: string | null;
  attempt_count: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  latency_ms: number;
  served_by_fallback: number;
  downgraded: number;
}

export interface ListQuery {
  before?: string;
  limit: number;
  filters: RequestFilters;
}

const cursorOf = (r: DbRow) => `${r.ts}.${r.seq}`;

function toRow(r: DbRow): RequestRow {
  return {
    id: r.id,
    ts: r.ts,
    purpose: r.purpose,
    modelClass: r.model_class,
    campaignId: r.campaign_id,
    operatorId: r.operator_id,
    outcome: r.outcome,
    errorKind: r.error_kind,
    provider: r.provider,
    deployment: r.deployment,
    baseModel: r.base_model,
    attemptCount: r.attempt_count,
    usage: { inputTokens: r.input_tokens, cachedInputTokens: r.cached_input_tokens, outputTokens: r.output_tokens },
    costMicros: r.cost_micros,
    latencyMs: r.latency_ms,
    servedByFallback: r.served_by_fallback === 1,
    downgraded: r.downgraded === 1,
  };
}

/** The filters the lead index does not answer, and search, as one test on a row. */
function residual(filters: RequestFilters, lead: Lead | null): ((r: DbRow) => boolean) | null {
  const checks: ((r: DbRow) => boolean)[] = [];
  for (const l of LEADS) {
    const want = filters[l.filter];
    if (want !== undefined && l !== lead) checks.push((r) => r[l.column] === want);
  }
  const needle = filters.search?.toLowerCase();
  if (needle) {
    checks.push((r) => [r.id, r.campaign_id, r.operator_id, r.deployment, r.base_model].some((v) => v !== null && v.toLowerCase().includes(needle)));
  }
  return checks.length ? (r) => checks.every((c) => c(r)) : null;
}

/** Reads the request log, newest first, always from an index (tests check each plan). */
export class RequestQueries {
  private readonly statements = new Map<string, ReturnType<Db['prepare']>>();
  private readonly byId;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[string], DbRow & { error_detail: string | null; attempts: string }>(`SELECT ${COLUMNS}, error_detail, attempts FROM ai_requests WHERE id = ?`);
  }

  /** The statement a page runs, for its plan to be checked; one per lead index and cursor presence. */
  sqlFor(lead: Lead | null, withCursor: boolean): string {
    const where: string[] = [];
    if (lead) where.push(`${lead.column} = @lead`);
    // The range on ts is what the index seeks; the tie on the same millisecond is settled by seq.
    if (withCursor) where.push('ts <= @ts AND (ts < @ts OR seq < @seq)');
    return `SELECT ${COLUMNS} FROM ai_requests INDEXED BY ${lead?.index ?? 'ai_requests_ts'}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, seq DESC LIMIT @window`;
  }

  leadFor(filters: RequestFilters): Lead | null {
    return LEADS.find((l) => filters[l.filter] !== undefined) ?? null;
  }

  private statement(lead: Lead | null, withCursor: boolean) {
    const sql = this.sqlFor(lead, withCursor);
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s as ReturnType<Db['prepare']> & { iterate(params: Record<string, unknown>): IterableIterator<DbRow> };
  }

  list({ before, limit, filters }: ListQuery): RequestsPage {
    const lead = this.leadFor(filters);
    const test = residual(filters, lead);
    // Unfiltered beyond the lead, one row past the page says whether another page exists.
    const window = test ? Math.max(REQUESTS_SCAN_WINDOW, limit + 1) : limit + 1;
    const params: Record<string, unknown> = { window };
    if (lead) params.lead = filters[lead.filter];
    if (before) {
      const [ts, seq] = before.split('.').map(Number);
      params.ts = ts;
      params.seq = seq;
    }
    const matched: DbRow[] = [];
    let seen = 0;
    let last: DbRow | null = null;
    // Stepped, not fetched whole: reading stops as soon as one row past the page has matched.
    for (const r of this.statement(lead, before !== undefined).iterate(params)) {
      seen++;
      last = r;
      if (test && !test(r)) continue;
      matched.push(r);
      if (matched.length > limit) break;
    }
    if (matched.length > limit) {
      const page = matched.slice(0, limit);
      return { rows: page.map(toRow), nextCursor: cursorOf(page[page.length - 1]!) };
    }
    const exhausted = seen < window;
    return { rows: matched.map(toRow), nextCursor: exhausted || !last ? null : cursorOf(last) };
  }

  get(id: string): RequestDetail | null {
    const r = this.byId.get(id);
    if (!r) return null;
    const stored = JSON.parse(r.attempts) as { attempts: Attempt[]; skipped: CompletionResult['skipped'] };
    return { ...toRow(r), attempts: stored.attempts, skipped: stored.skipped, errorDetail: r.error_detail };
  }
}
