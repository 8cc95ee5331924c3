import { v7 as uuidv7 } from 'uuid';
import type { Attempt, CompletionRequest, CompletionResult, FaultKind, ModelClass, ProviderId, RouteStep, Usage } from '../../shared/ai';
import type { Ledger } from '../ledger/ledger';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Breakers } from './breakers';
import type { OrchestratorMetrics } from './metrics';
import { costMicros, type Price, type PriceBook } from './pricing';
import type { ProviderRegistry } from './providers';
import { budgetState, capSteps, routeFor, skipForBudget } from './routing';
import type { AiConfigStore } from './config';
import { estimatePromptTokens, estimateTextTokens } from './tokens';
import { ProviderFault, type ProviderTarget } from './types';

export interface OrchestratorDeps {
  clock: Clock;
  logger: Logger;
  config: Pick<AiConfigStore, 'routing'>;
  providers: ProviderRegistry;
  ledger: Ledger;
  prices: PriceBook;
  breakers: Breakers;
  metrics: OrchestratorMetrics;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** A retry-after longer than this moves on to the next provider instead of waiting. */
  maxRetryWaitMs?: number;
  newId?: () => string;
}

/** Faults after which the same provider is worth another try. */
const RETRYABLE = new Set<FaultKind>(['rate_limited', 'server_error', 'timeout', 'connection', 'stream_dropped']);
const BASE_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 4_000;
const EMPTY: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };

const addUsage = (a: Usage, b: Usage): Usage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
});

/**
 * Routes every AI call: ordered route steps (data, per campaign type and purpose), retry with
 * jittered backoff that honours retry-after, a circuit breaker per provider, fallback, a budget
 * pre-flight, and a ledger row for every attempt that consumed tokens.
 */
export class Orchestrator {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxRetryWaitMs: number;
  private readonly newId: () => string;

  constructor(private readonly deps: OrchestratorDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = deps.random ?? Math.random;
    this.maxRetryWaitMs = deps.maxRetryWaitMs ?? 10_000;
    this.newId = deps.newId ?? uuidv7;
  }

  /** The steps this request may use after the budget pre-flight; `downgraded` when it had to get cheaper. */
  private plan(request: CompletionRequest) {
    const policy = this.deps.config.routing();
    const steps = capSteps(routeFor(policy, request), request.modelClass);
    const none: RouteStep[] = [];
    // Without a hard limit there is nothing to check: skip the tokenizer on the hot path.
    if (policy.budget.dailyHardLimitMicros === null && policy.budget.monthlyHardLimitMicros === null) {
      return { policy, steps, state: 'ok' as const, downgraded: false, refused: false, overBudget: none };
    }
    const spent = this.deps.ledger.spent();
    const promptTokens = estimatePromptTokens(request.messages);
    const projected = (step: RouteStep) => {
      const r = this.deps.providers.resolve(step.provider, step.modelClass);
      if (!r.ok) return 0;
      const price = this.deps.prices.lookup(r.target.provider, r.target.baseModel, r.priceOverride, new Date(this.deps.clock.now()));
      return costMicros({ inputTokens: promptTokens, cachedInputTokens: 0, outputTokens: request.maxOutputTokens }, price);
    };
    const first = steps[0];
    const state = budgetState(spent, first ? projected(first) : 0, policy.budget);
    if (state !== 'exceeded') return { policy, steps, state, downgraded: false, refused: false, overBudget: none };
    if (policy.budget.onExceed === 'refuse') return { policy, steps: none, state, downgraded: false, refused: true, overBudget: none };
    // Downgrade: every step at the cheapest class; keep those whose worst case still fits.
    const cheapest = steps.map((s) => ({ ...s, modelClass: 'economy' as ModelClass }));
    const fits = (s: RouteStep) => budgetState(spent, projected(s), policy.budget) !== 'exceeded';
    const kept = cheapest.filter(fits);
    return { policy, steps: kept, state, downgraded: kept.length > 0, refused: kept.length === 0, overBudget: cheapest.filter((s) => !fits(s)) };
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const requestId = this.newId();
    const { policy, steps, state, downgraded, refused, overBudget } = this.plan(request);
    const attempts: Attempt[] = [];
    const skipped: CompletionResult['skipped'] = overBudget.map((s) => ({ provider: s.provider, modelClass: s.modelClass, reason: 'budget' as const }));
    let usage = EMPTY;
    let cost = 0;
    const result = (partial: Partial<CompletionResult> & Pick<CompletionResult, 'outcome'>): CompletionResult => ({
      requestId,
      text: '',
      finishReason: null,
      provider: null,
      deployment: null,
      baseModel: null,
      error: null,
      servedByFallback: false,
      downgraded,
      ...partial,
      usage,
      costMicros: cost,
      attempts,
      skipped,
    });

    if (refused) {
      return result({ outcome: 'refused', error: { kind: 'budget_exceeded', message: 'This request would cross the hard AI budget; it was not sent.' } });
    }

    const charge = async (attempt: number, target: ProviderTarget, price: Price, used: Usage, ms: number, status: string) => {
      const micros = await this.charge(request, requestId, attempt, target, price, used, ms, status);
      usage = addUsage(usage, used);
      cost += micros;
      return micros;
    };

    let lastFault: ProviderFault | null = null;
    let attemptNo = 0;
    let servingIndex = -1;
    for (const step of steps) {
      if (skipForBudget(step, state)) {
        skipped.push({ provider: step.provider, modelClass: step.modelClass, reason: 'budget' });
        continue;
      }
      const resolved = this.deps.providers.resolve(step.provider, step.modelClass);
      if (!resolved.ok) {
        skipped.push({ provider: step.provider, modelClass: step.modelClass, reason: resolved.reason });
        continue;
      }
      servingIndex++;
      const { target, adapter, config } = resolved;
      const price = this.deps.prices.lookup(target.provider, target.baseModel, resolved.priceOverride, new Date(this.deps.clock.now()));
      let waitMs = 0;
      for (let tryNo = 1; tryNo <= policy.maxAttemptsPerProvider; tryNo++) {
        if (waitMs > 0) await this.sleep(waitMs);
        attemptNo++;
        const started = this.deps.clock.monotonic();
        try {
          const reply = await this.deps.breakers.run(step.provider, () =>
            adapter.complete(target, {
              messages: request.messages,
              maxOutputTokens: request.maxOutputTokens,
              stream: request.stream,
              firstByteTimeoutMs: config.firstByteTimeoutMs,
              totalTimeoutMs: config.totalTimeoutMs,
            }),
          );
          const ms = Math.round(this.deps.clock.monotonic() - started);
          const used = reply.usage ?? this.estimateUsage(request, reply.text);
          const filtered = reply.finishReason === 'content_filter';
          const status = filtered ? 'content_filter' : reply.usage ? 'ok' : 'ok_estimated_usage';
          const charged = await charge(attemptNo, target, price, used, ms, status);
          attempts.push({ ...this.attemptBase(target, ms, waitMs), status: reply.status, outcome: filtered ? 'content_filter' : 'ok', usage: used, costMicros: charged });
          this.deps.metrics.attempt(step.provider, ms, filtered ? { kind: 'content_filter', message: 'finish_reason content_filter', at: this.deps.clock.now() } : null);
          if (filtered && policy.onContentFilter === 'refuse') {
            return result({
              outcome: 'refused',
              text: reply.text,
              finishReason: reply.finishReason,
              ...target,
              error: {
                kind: 'content_filter',
                message: `${step.provider} stopped the reply with its content filter${reply.flagged.length ? ` (${reply.flagged.join(', ')})` : ''}.`,
              },
            });
          }
          if (filtered) {
            lastFault = new ProviderFault('content_filter', 'finish_reason content_filter', reply.status);
            break;
          }
          if (servingIndex > 0) this.deps.metrics.servedByFallback(step.provider);
          return result({ outcome: 'ok', text: reply.text, finishReason: reply.finishReason, ...target, servedByFallback: servingIndex > 0 });
        } catch (err) {
          const ms = Math.round(this.deps.clock.monotonic() - started);
          const fault = err instanceof ProviderFault ? err : new ProviderFault('connection', 'unexpected failure');
          lastFault = fault;
          if (fault.kind === 'circuit_open') {
            // No HTTP request was made; the step still counts, so whoever serves next is a fallback.
            attemptNo--;
            skipped.push({ provider: step.provider, modelClass: step.modelClass, reason: 'circuit_open' });
            break;
          }
          const consumed = fault.usage ?? (fault.partialText ? this.estimateUsage(request, fault.partialText) : null);
          const charged = consumed ? await charge(attemptNo, target, price, consumed, ms, fault.kind) : 0;
          attempts.push({ ...this.attemptBase(target, ms, waitMs), status: fault.status, outcome: fault.kind, message: fault.message, usage: consumed, costMicros: charged });
          this.deps.metrics.attempt(step.provider, ms, { kind: fault.kind, message: fault.message, at: this.deps.clock.now() });

          if (fault.kind === 'content_filter' && policy.onContentFilter === 'refuse') {
            return result({ outcome: 'refused', ...target, error: { kind: 'content_filter', message: `${step.provider} refused the prompt with its content filter: ${fault.message}.` } });
          }
          if (fault.kind === 'bad_request') {
            return result({ outcome: 'failed', error: { kind: fault.kind, message: fault.message } });
          }
          if (!RETRYABLE.has(fault.kind) || tryNo === policy.maxAttemptsPerProvider) break;
          waitMs = this.backoff(tryNo, fault.retryAfterMs);
          if (waitMs > this.maxRetryWaitMs) break;
        }
      }
    }
    const message = lastFault
      ? `Every route failed; the last error was ${lastFault.kind}: ${lastFault.message}`
      : 'No AI provider is enabled and configured for this request. Set one up in Settings → Providers.';
    return result({ outcome: 'failed', error: { kind: lastFault?.kind ?? 'not_configured', message } });
  }

  /**
   * One tiny request straight to a provider, outside routing and its circuit breaker, so an
   * operator can check settings even while the circuit is open. Charged like any attempt.
   */
  async probe(provider: ProviderId): Promise<{ ok: boolean; ms: number; deployment: string | null; baseModel: string | null; message: string; costMicros: number }> {
    const resolved = this.deps.providers.resolve(provider, 'premium');
    if (!resolved.ok) {
      const message = resolved.reason === 'disabled' ? `${provider} is turned off.` : `${provider} needs its endpoint, deployment and key before it can be tested.`;
      return { ok: false, ms: 0, deployment: null, baseModel: null, message, costMicros: 0 };
    }
    const { target, adapter, config } = resolved;
    const request: CompletionRequest = { purpose: 'analysis', messages: [{ role: 'user', content: 'Reply with the word OK.' }], modelClass: 'economy', maxOutputTokens: 5, stream: false };
    const price = this.deps.prices.lookup(target.provider, target.baseModel, resolved.priceOverride, new Date(this.deps.clock.now()));
    const started = this.deps.clock.monotonic();
    const requestId = this.newId();
    try {
      const reply = await adapter.complete(target, { ...request, firstByteTimeoutMs: config.firstByteTimeoutMs, totalTimeoutMs: config.totalTimeoutMs });
      const ms = Math.round(this.deps.clock.monotonic() - started);
      const used = reply.usage ?? this.estimateUsage(request, reply.text);
      const cost = await this.charge(request, requestId, 1, target, price, used, ms, 'connection_test');
      const priced = price.source === 'unpriced' ? ` No price is known for ${target.baseModel}; set a price override.` : '';
      return { ok: true, ms, ...target, message: `Connected: ${target.deployment} (${target.baseModel}) answered in ${ms} ms.${priced}`, costMicros: cost };
    } catch (err) {
      const ms = Math.round(this.deps.clock.monotonic() - started);
      const fault = err instanceof ProviderFault ? err : new ProviderFault('connection', 'unexpected failure');
      return { ok: false, ms, ...target, message: `${fault.kind}${fault.status ? ` (HTTP ${fault.status})` : ''}: ${fault.message}`, costMicros: 0 };
    }
  }

  private attemptBase(target: ProviderTarget, ms: number, waitedMs: number) {
    return { provider: target.provider, deployment: target.deployment, baseModel: target.baseModel, ms, waitedMs };
  }

  /** retry-after when the provider gave one, else exponential backoff with full jitter. */
  private backoff(tryNo: number, retryAfterMs: number | null): number {
    if (retryAfterMs !== null) return retryAfterMs;
    const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (tryNo - 1));
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  private estimateUsage(request: CompletionRequest, text: string): Usage {
    return { inputTokens: estimatePromptTokens(request.messages), cachedInputTokens: 0, outputTokens: estimateTextTokens(text) };
  }

  private async charge(
    request: CompletionRequest,
    requestId: string,
    attempt: number,
    target: ProviderTarget,
    price: Price,
    used: Usage,
    latencyMs: number,
    status: string,
  ): Promise<number> {
    const micros = costMicros(used, price);
    await this.deps.ledger.record({
      id: this.newId(),
      requestId,
      attempt,
      ts: this.deps.clock.now(),
      ...target,
      purpose: request.purpose,
      campaignId: request.campaignId ?? null,
      operatorId: request.operatorId ?? null,
      usage: used,
      costMicros: micros,
      latencyMs,
      status,
      priceSource: price.source,
    });
    return micros;
  }
}
