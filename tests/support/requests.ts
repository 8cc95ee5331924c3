import { v7 as uuidv7 } from 'uuid';
import { PROVIDER_IDS, PURPOSES, type Attempt, type CompletionResult } from '../../shared/ai';
import type { RequestRecord } from '../../main/requests/log';

const MODELS = { azure: ['prod-chat-eu', 'gpt-4o'], openai: ['gpt-4o-mini', 'gpt-4o-mini'], local: ['llama3.1', 'llama3.1'] } as const;
const CAMPAIGNS = ['spring-ppv', 'welcome-nov', 're-engage-q4', 'vip-mass'];
const OPERATORS = ['op-anna', 'op-bruno', 'op-chloe'];

/**
 * `n` realistic finished requests, deterministic in `i`: a third fail or are refused, some fall
 * back after a 429, and start times repeat (three requests per millisecond) so paging must
 * break ties on the same instant.
 */
export function fakeRequests(n: number, startTs = Date.UTC(2026, 10, 1)): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (let i = 0; i < n; i++) {
    const provider = PROVIDER_IDS[i % 3]!;
    const [deployment, baseModel] = MODELS[provider];
    const outcome = i % 7 === 0 ? 'failed' : i % 11 === 0 ? 'refused' : 'ok';
    const fellBack = i % 5 === 0 && provider !== 'azure';
    const attempts: Attempt[] = [];
    if (fellBack) attempts.push({ provider: 'azure', deployment: 'prod-chat-eu', baseModel: 'gpt-4o', status: 429, outcome: 'rate_limited', ms: 40, waitedMs: 0, usage: null, costMicros: 0 });
    const usage = { inputTokens: 200 + (i % 300), cachedInputTokens: i % 4 === 0 ? 128 : 0, outputTokens: 50 + (i % 90) };
    const costMicros = outcome === 'failed' ? 0 : 300 + (i % 1000);
    attempts.push({ provider, deployment, baseModel, status: outcome === 'failed' ? 500 : 200, outcome: outcome === 'failed' ? 'server_error' : 'ok', ms: 300 + (i % 500), waitedMs: fellBack ? 100 : 0, usage: outcome === 'failed' ? null : usage, costMicros });
    const result: CompletionResult = {
      requestId: uuidv7(),
      outcome,
      text: '',
      finishReason: outcome === 'ok' ? 'stop' : null,
      usage: outcome === 'failed' ? { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 } : usage,
      costMicros,
      provider: outcome === 'ok' ? provider : null,
      deployment: outcome === 'ok' ? deployment : null,
      baseModel: outcome === 'ok' ? baseModel : null,
      attempts,
      skipped: [],
      servedByFallback: fellBack && outcome === 'ok',
      downgraded: false,
      error: outcome === 'ok' ? null : { kind: outcome === 'failed' ? 'server_error' : 'content_filter', provider, detail: null },
      failures: outcome === 'failed' ? [{ provider, kind: 'server_error', status: 500, tries: 1 }] : [],
      requestedClass: 'premium',
      servedClass: outcome === 'ok' ? 'premium' : null,
      partial: false,
    };
    out.push({
      request: { purpose: PURPOSES[i % 4]!, modelClass: 'premium', campaignId: i % 2 === 0 ? CAMPAIGNS[(i >> 1) % 4] : undefined, operatorId: OPERATORS[i % 3] },
      result,
      ts: startTs + Math.floor(i / 3),
      latencyMs: 300 + (i % 700),
    });
  }
  return out;
}
