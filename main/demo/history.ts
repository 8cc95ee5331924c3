/**
 * Sixty days of plausible AI spend for the demo: a busier weekend, a gentle upward trend, the
 * orchestrator's own mix of Azure first, OpenAI when Azure stumbles and a local model now and
 * then, across purposes, campaigns and operators. Pure and deterministic: the same day index
 * always yields the same rows with the same ids, so seeding again writes nothing new.
 */
import type { Attempt, CompletionResult, ProviderId, Purpose } from '../../shared/ai';
import type { PriceBook } from '../ai/pricing';
import { costMicros } from '../ai/pricing';
import { type Random, seededRandom } from '../costs/random';
import type { LocalCalendar } from '../costs/localtime';
import type { CostRow } from '../ledger/ledger';
import type { RequestRecord } from '../requests/log';

export const DEMO_DAYS = 60;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Requests on an ordinary weekday at the start of the period. */
const BASE_REQUESTS = 170;
/** Relative growth per day: about +25 % over the sixty days. */
const TREND_PER_DAY = 0.004;
/** Monday first: fans write most from Friday to Sunday, and so do the chatters answering them. */
const WEEKDAY_FACTOR = [0.9, 0.95, 1, 1, 1.2, 1.35, 1.25] as const;

/** Campaign ids the demo's later steps (creators, fans, campaigns) will create under these same ids. */
export const DEMO_CAMPAIGNS = ['demo-welcome-new-fans', 'demo-ppv-weekend', 'demo-reengage-expired', 'demo-mass-monthly', 'demo-birthday'] as const;
export const DEMO_OPERATORS = ['Ana', 'Marc', 'Léa', 'Jordan'] as const;
const OPERATOR_WEIGHTS = DEMO_OPERATORS.map((o, i) => [o, [4, 3, 3, 1][i]!] as const);

interface Deployment {
  deployment: string;
  baseModel: string;
  latency: [number, number];
}
const DEPLOYMENTS: Record<ProviderId, { premium: Deployment; standard: Deployment }> = {
  azure: {
    premium: { deployment: 'huntaze-prod-chat', baseModel: 'gpt-4o', latency: [900, 3200] },
    standard: { deployment: 'huntaze-mini', baseModel: 'gpt-4o-mini', latency: [400, 1500] },
  },
  openai: {
    premium: { deployment: 'gpt-4o', baseModel: 'gpt-4o', latency: [1000, 3500] },
    standard: { deployment: 'gpt-4o-mini', baseModel: 'gpt-4o-mini', latency: [450, 1700] },
  },
  local: {
    premium: { deployment: 'llama3.1', baseModel: 'llama3.1', latency: [1500, 5000] },
    standard: { deployment: 'llama3.1', baseModel: 'llama3.1', latency: [1500, 5000] },
  },
};

/** Tokens per purpose: a personalization batches many fans into one request, so it is the big one. */
const SHAPES: Record<Purpose, { input: [number, number]; output: [number, number]; cached: number; premium: number }> = {
  personalize: { input: [3000, 9000], output: [1500, 4000], cached: 0.45, premium: 0.4 },
  reply: { input: [300, 1200], output: [40, 220], cached: 0.1, premium: 0.2 },
  copy: { input: [500, 1500], output: [250, 700], cached: 0, premium: 1 },
  analysis: { input: [2500, 8000], output: [300, 900], cached: 0.2, premium: 1 },
};

const PURPOSE_WEIGHTS: [Purpose, number][] = [
  ['personalize', 0.58],
  ['reply', 0.24],
  ['copy', 0.12],
  ['analysis', 0.06],
];

const pick = <T>(random: Random, weighted: readonly (readonly [T, number])[]): T => {
  let u = random() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of weighted) if ((u -= w) < 0) return value;
  return weighted[weighted.length - 1]![0];
};
const between = (random: Random, [lo, hi]: readonly [number, number]) => Math.round(lo + random() * (hi - lo));

/** A canonical UUID (stored compactly by the ledger), fixed per day, request and attempt. */
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
export const demoRequestId = (dayIndex: number, n: number) => `de00${hex(dayIndex, 4)}-0000-7000-8000-${hex(n, 12)}`;
const demoRowId = (dayIndex: number, n: number, attempt: number) => `de01${hex(dayIndex, 4)}-${hex(attempt, 4)}-7000-8000-${hex(n, 12)}`;

/** Which campaigns run on a given day: each has its own window, as real ones do. */
function campaignsOn(dayIndex: number, weekday: number): (readonly [string, number])[] {
  const out: (readonly [string, number])[] = [['demo-welcome-new-fans', 3]];
  if (weekday >= 4) out.push(['demo-ppv-weekend', 4]);
  if (dayIndex % 14 < 5) out.push(['demo-reengage-expired', 3]);
  if (dayIndex % 30 < 3) out.push(['demo-mass-monthly', 6]);
  if (dayIndex % 9 === 0) out.push(['demo-birthday', 2]);
  return out;
}

/** The instant a local day starts: the offset at UTC midnight, then once more in case that crossed a change. */
function localMidnight(calendar: LocalCalendar, day: number): number {
  const guess = day * DAY_MS - calendar.offset(day * DAY_MS);
  return day * DAY_MS - calendar.offset(guess);
}

export interface HistoryDay {
  /** 0 is today, 59 the oldest day. */
  dayIndex: number;
  rows: CostRow[];
  /** The same requests as the request log keeps them: every attempt, billed or not. */
  requests: RequestRecord[];
}

const OUTCOME: Record<string, { outcome: Attempt['outcome']; status: number }> = {
  ok: { outcome: 'ok', status: 200 },
  content_filter: { outcome: 'content_filter', status: 400 },
  stream_drop: { outcome: 'stream_dropped', status: 200 },
};

/** A request's log entry from its billed attempts; `refusedFirst` adds Azure's unbilled refusal before them. */
function requestRecord(costRows: CostRow[], modelClass: 'premium' | 'standard', refusedFirst: boolean, n: number): RequestRecord {
  const first = costRows[0]!;
  const attempts: Attempt[] = [];
  if (refusedFirst) {
    const azure = DEPLOYMENTS.azure[modelClass];
    attempts.push({ provider: 'azure', deployment: azure.deployment, baseModel: azure.baseModel, status: 429, outcome: 'rate_limited', ms: 40 + (n % 80), waitedMs: 0, usage: null, costMicros: 0 });
  }
  for (const r of costRows) {
    const o = OUTCOME[r.status]!;
    attempts.push({ provider: r.provider, deployment: r.deployment, baseModel: r.baseModel, status: o.status, outcome: o.outcome, ms: r.latencyMs, waitedMs: 0, usage: r.usage, costMicros: r.costMicros });
  }
  const last = costRows[costRows.length - 1]!;
  const served = last.status === 'ok';
  const result: CompletionResult = {
    requestId: first.requestId,
    outcome: served ? 'ok' : 'refused',
    text: '',
    finishReason: served ? 'stop' : 'content_filter',
    usage: last.usage,
    costMicros: costRows.reduce((sum, r) => sum + r.costMicros, 0),
    provider: served ? last.provider : null,
    deployment: served ? last.deployment : null,
    baseModel: served ? last.baseModel : null,
    attempts,
    skipped: [],
    servedByFallback: served && last.provider !== 'azure',
    downgraded: false,
    error: served ? null : { kind: 'content_filter', provider: last.provider, detail: null },
    failures: [],
    requestedClass: modelClass,
    servedClass: served ? modelClass : null,
    partial: false,
  };
  return {
    request: { purpose: first.purpose, modelClass, campaignId: first.campaignId ?? undefined, operatorId: first.operatorId ?? undefined },
    result,
    ts: first.ts,
    latencyMs: attempts.reduce((sum, a) => sum + a.ms, 0),
  };
}

/**
 * One local day of history, `dayIndex` days before today in the agency's zone. Today's rows stop
 * at `now`, in proportion to the part of the day gone by.
 */
export function historyDay(dayIndex: number, now: number, calendar: LocalCalendar, prices: PriceBook): HistoryDay {
  const random = seededRandom(0x5eed_0000 + dayIndex);
  const day = calendar.localDay(now) - dayIndex;
  const start = localMidnight(calendar, day);
  // A daylight-saving day has 23 or 25 hours: it ends at the next local midnight, not 24 h later.
  const dayEnd = localMidnight(calendar, day + 1);
  const weekday = (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday.
  const end = dayIndex === 0 ? Math.min(now, dayEnd) : dayEnd;
  const share = (end - start) / (dayEnd - start);
  const growth = 1 + TREND_PER_DAY * (DEMO_DAYS - 1 - dayIndex);
  const count = Math.round(BASE_REQUESTS * WEEKDAY_FACTOR[weekday]! * growth * (0.9 + random() * 0.2) * share);
  const campaigns = campaignsOn(dayIndex, weekday);
  const at = new Date(start);

  const rows: CostRow[] = [];
  const requests: RequestRecord[] = [];
  for (let n = 0; n < count; n++) {
    // Most work happens between 9:00 and 23:00 local; the night shift is thin.
    const hourly = random() < 0.9 ? 9 * HOUR_MS + random() * 14 * HOUR_MS : random() * 24 * HOUR_MS;
    // Today's requests spread over the part of the day gone by; a short day's hours are squeezed in.
    const ts = Math.floor(start + (hourly / DAY_MS) * (end - start));
    if (ts >= end) continue;
    const purpose = pick(random, PURPOSE_WEIGHTS);
    const shape = SHAPES[purpose];
    const campaignId = purpose === 'personalize' || purpose === 'copy' ? pick(random, campaigns) : null;
    const operatorId = pick(random, OPERATOR_WEIGHTS);
    const modelClass = random() < shape.premium ? 'premium' : 'standard';
    const route = random();
    // What happened: mostly Azure; a stream dropped mid-reply then OpenAI; OpenAI alone (Azure refused at once, nothing billed); a local model.
    const attempts: { provider: ProviderId; status: string; partial: boolean }[] =
      route < 0.86
        ? [{ provider: 'azure', status: route < 0.008 ? 'content_filter' : 'ok', partial: false }]
        : route < 0.89
          ? [
              { provider: 'azure', status: 'stream_drop', partial: true },
              { provider: 'openai', status: 'ok', partial: false },
            ]
          : route < 0.98
            ? [{ provider: 'openai', status: 'ok', partial: false }]
            : [{ provider: 'local', status: 'ok', partial: false }];
    const inputTokens = between(random, shape.input);
    const cachedInputTokens = random() < shape.cached ? Math.floor(inputTokens * (0.5 + random() * 0.3)) : 0;
    const outputTokens = between(random, shape.output);
    const billed: CostRow[] = [];
    attempts.forEach((a, i) => {
      const target = DEPLOYMENTS[a.provider][modelClass];
      const usage = { inputTokens, cachedInputTokens, outputTokens: a.partial ? Math.floor(outputTokens * random() * 0.5) : outputTokens };
      const price = prices.lookup(a.provider, target.baseModel, null, at);
      rows.push({
        id: demoRowId(dayIndex, n, i + 1),
        requestId: demoRequestId(dayIndex, n),
        attempt: i + 1,
        ts: Math.min(ts + i * 1500, end - 1),
        provider: a.provider,
        deployment: target.deployment,
        baseModel: target.baseModel,
        purpose,
        campaignId,
        operatorId,
        usage,
        costMicros: costMicros(usage, price),
        latencyMs: between(random, target.latency),
        status: a.status,
        priceSource: price.source,
      });
      billed.push(rows[rows.length - 1]!);
    });
    // OpenAI alone means Azure refused at once (nothing billed): the log still shows that try.
    requests.push(requestRecord(billed, modelClass, attempts.length === 1 && attempts[0]!.provider === 'openai', n));
  }
  rows.sort((a, b) => a.ts - b.ts);
  requests.sort((a, b) => a.ts - b.ts);
  return { dayIndex, rows, requests };
}
