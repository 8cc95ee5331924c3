import { v7 as uuidv7 } from 'uuid';
import { type CompletionRequest, type CompletionResult, type FaultKind, type ModelClass, type RouteStep, type RoutingPolicy, TEAM_BUDGET_DETAIL, type Usage } from '../../shared/ai';
import type { Ledger } from '../ledger/ledger';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Breakers } from './breakers';
import type { OrchestratorMetrics } from './metrics';
import { costMicros, type Price, type PriceBook } from './pricing';
import type { ProviderRegistry, Resolved } from './providers';
import type { HardStopState } from '../budgets/budgets';
import { type BudgetState, budgetState, capSteps, routeFor, skipForBudget } from './routing';
import type { AiConfigStore } from './config';
import { addUsage, RequestLog } from './request-log';
import { estimatePromptTokens, estimateTextTokens } from './tokens';
import { probeFailure } from './probe-failure';
import { ProviderFault, type ProviderReply, type ProviderTarget } from './types';

export interface OrchestratorDeps {
  clock: Clock;
  logger: Logger;
  config: Pick<AiConfigStore, 'routing'>;
  providers: ProviderRegistry;
  ledger: Ledger;
  /** The budget model's hard stops and the spend of their scopes this period. */
  budgets: { hardStops(campaignId: string | undefined): HardStopState[] };
  /** The team's hard stops (live profile only): `binding` is sync and local, `stops` may lease from DynamoDB. */
  team?: { binding(campaignId: string | undefined): readonly unknown[]; stops(campaignId: string | undefined, estimateMicros: number): Promise<HardStopState[]> };
  prices: PriceBook;
  breakers: Breakers;
  metrics: OrchestratorMetrics;
  /** Waits between attempts; must end early, rejecting, when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** A retry-after longer than this moves on to the next provider instead of waiting. */
  maxRetryWaitMs?: number;
  newId?: () => string;
}

/** Faults after which the same provider is worth another try. */
const RETRYABLE = new Set<FaultKind>(['rate_limited', 'server_error', 'timeout', 'connection', 'stream_dropped']);
const BASE_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 4_000;

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

type Served = Extract<Resolved, { ok: true }>;

/** One step of the route as the attempt loop sees it. */
interface StepContext {
  step: RouteStep;
  resolved: Served;
  price: Price;
  /** The first provider that could serve is 0; anyone after it serves as a fallback. */
  servingIndex: number;
}

/** What one HTTP attempt came to; the loop in `complete()` only reads the tag. */
type StepOutcome =
  | { tag: 'done'; result: Partial<CompletionResult> & Pick<CompletionResult, 'outcome'> }
  | { tag: 'retry'; waitMs: number; fault: ProviderFault }
  | { tag: 'next'; fault: ProviderFault }
  | { tag: 'skipped'; fault: ProviderFault };

/**
 * Routes every AI call: ordered route steps (data, per campaign type and purpose), retry with
 * full-jitter backoff that honours retry-after, a circuit breaker per provider, fallback, a budget
 * pre-flight, and a ledger row for every attempt that consumed tokens. Charging happens outside
 * the provider attempt: a ledger failure never looks like a provider fault, so it never resends.
 */
export class Orchestrator {
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly maxRetryWaitMs: number;
  private readonly newId: () => string;

  constructor(private readonly deps: OrchestratorDeps) {
    this.sleep = deps.sleep ?? abortableSleep;
    this.random = deps.random ?? Math.random;
    this.maxRetryWaitMs = deps.maxRetryWaitMs ?? 10_000;
    this.newId = deps.newId ?? uuidv7;
  }

  private priceOf(resolved: Served): Price {
    return this.deps.prices.lookup(resolved.target.provider, resolved.target.baseModel, resolved.priceOverride, new Date(this.deps.clock.now()), resolved.config.deploymentType);
  }

  /** What the request's preferred step would bill at, for a cost estimate made before any call; null when no step resolves. */
  priceFor(request: CompletionRequest): Price | null {
    const step = capSteps(routeFor(this.deps.config.routing(), request), request.modelClass)[0];
    if (!step) return null;
    const r = this.deps.providers.resolve(step.provider, step.modelClass);
    return r.ok ? this.priceOf(r) : null;
  }

  /**
   * The steps this request may use after the budget pre-flight against the budget model's hard
   * stops (a provider's binds only its own steps, a campaign's only its requests); `downgraded`
   * when it had to get cheaper. A global or campaign stop set to refuse that the preferred step
   * would cross refuses the request; a downgrade stop moves each step it binds to the economy
   * class, and a step that still does not fit is skipped.
   */
  private async plan(request: CompletionRequest) {
    const policy = this.deps.config.routing();
    const steps = capSteps(routeFor(policy, request), request.modelClass);
    const none: RouteStep[] = [];
    const stops = this.deps.budgets.hardStops(request.campaignId);
    const team = this.deps.team?.binding(request.campaignId).length ? this.deps.team : null;
    // Without a hard stop there is nothing to check: skip the tokenizer (and DynamoDB) on the hot path.
    if (stops.length === 0 && !team) return { policy, steps, states: steps.map(() => 'ok' as BudgetState), downgraded: false, refused: false, byTeam: false, overBudget: none };
    const promptTokens = await estimatePromptTokens(request.messages);
    const costOf = (step: RouteStep) => {
      const r = this.deps.providers.resolve(step.provider, step.modelClass);
      return r.ok ? costMicros({ inputTokens: promptTokens, cachedInputTokens: 0, outputTokens: request.maxOutputTokens }, this.priceOf(r)) : 0;
    };
    // The preferred step's estimate is what a team lease must cover; cheaper steps fit in it.
    if (team) stops.push(...(await team.stops(request.campaignId, steps[0] ? costOf(steps[0]) : 0)));
    const judge = (step: RouteStep) => {
      const cost = costOf(step);
      let state: BudgetState = 'ok';
      const over: HardStopState[] = [];
      for (const h of stops) {
        if (h.threshold.scope === 'provider' && h.threshold.target !== step.provider) continue;
        const s = budgetState(h.spentMicros, cost, h.threshold);
        if (s === 'exceeded') over.push(h);
        // A team stop's amount is this seat's lease, nearly used by design: only crossing it counts.
        else if (s === 'warning' && !h.team) state = 'warning';
      }
      return { state: over.length ? ('exceeded' as const) : state, over };
    };
    const head = steps[0] ? judge(steps[0]) : null;
    // Only the team's cap stood in the way: the operator is told so, not that this seat's budget is spent.
    const byTeam = !!head && head.over.length > 0 && head.over.every((h) => h.team);
    if (head?.over.some((h) => h.threshold.hardStop === 'refuse' && h.threshold.scope !== 'provider')) {
      return { policy, steps: none, states: [], downgraded: false, refused: true, byTeam, overBudget: none };
    }
    const kept: RouteStep[] = [];
    const states: BudgetState[] = [];
    const overBudget: RouteStep[] = [];
    let downgraded = false;
    for (const step of steps) {
      const j = judge(step);
      if (j.over.length === 0) {
        kept.push(step);
        states.push(j.state);
        continue;
      }
      if (j.over.some((h) => h.threshold.hardStop === 'refuse')) {
        overBudget.push(step);
        continue;
      }
      downgraded = true;
      const cheaper = { ...step, modelClass: 'economy' as ModelClass };
      const e = judge(cheaper);
      if (e.over.length === 0) {
        kept.push(cheaper);
        states.push(e.state);
      } else overBudget.push(cheaper);
    }
    return { policy, steps: kept, states, downgraded: downgraded && kept.length > 0, refused: kept.length === 0, byTeam, overBudget };
  }

  /** `onDelta` hears streamed text as it arrives, with the attempt it belongs to (a retry starts over). */
  async complete(request: CompletionRequest, signal?: AbortSignal, onDelta?: (attempt: number, text: string) => void): Promise<CompletionResult> {
    const { policy, steps, states, downgraded, refused, byTeam, overBudget } = await this.plan(request);
    const log = new RequestLog(this.newId(), downgraded, request.modelClass);
    for (const s of overBudget) log.skipped.push({ provider: s.provider, modelClass: s.modelClass, reason: 'budget' });
    if (refused) return log.result({ outcome: 'refused', error: { kind: 'budget_exceeded', provider: null, detail: byTeam ? TEAM_BUDGET_DETAIL : null } });

    let lastFault: ProviderFault | null = null;
    let servingIndex = -1;
    for (const [i, step] of steps.entries()) {
      if (skipForBudget(step, states[i]!)) {
        log.skipped.push({ provider: step.provider, modelClass: step.modelClass, reason: 'budget' });
        continue;
      }
      const resolved = this.deps.providers.resolve(step.provider, step.modelClass);
      if (!resolved.ok) {
        log.skipped.push({ provider: step.provider, modelClass: step.modelClass, reason: resolved.reason });
        continue;
      }
      // A step skipped for an open circuit still counts: whoever serves next is a fallback.
      const ctx: StepContext = { step, resolved, price: this.priceOf(resolved), servingIndex: ++servingIndex };
      let waitMs = 0;
      for (let tryNo = 1; tryNo <= policy.maxAttemptsPerProvider; tryNo++) {
        if (waitMs > 0) {
          try {
            await this.sleep(waitMs, signal);
          } catch {
            return this.cancelled(log);
          }
        }
        const outcome = await this.tryStep(request, log, ctx, policy, { tryNo, waitMs }, signal, onDelta);
        if (outcome.tag === 'done') return log.result(outcome.result);
        lastFault = outcome.fault;
        if (outcome.fault.kind === 'cancelled') return this.cancelled(log);
        if (outcome.tag !== 'retry' || tryNo === policy.maxAttemptsPerProvider) break;
        waitMs = outcome.waitMs;
      }
    }
    const failures = log.failures([...steps, ...overBudget]);
    if (!lastFault) return log.result({ outcome: 'failed', failures, error: { kind: 'not_configured', provider: null, detail: null } });
    return log.result({ outcome: 'failed', failures, error: { kind: lastFault.kind, provider: null, detail: lastFault.message } });
  }

  private cancelled(log: RequestLog): CompletionResult {
    return log.result({ outcome: 'failed', error: { kind: 'cancelled', provider: null, detail: null } });
  }

  /** One HTTP attempt on one step, charged if it consumed tokens, classified into what to do next. */
  private async tryStep(
    request: CompletionRequest,
    log: RequestLog,
    ctx: StepContext,
    policy: RoutingPolicy,
    { tryNo, waitMs }: { tryNo: number; waitMs: number },
    signal: AbortSignal | undefined,
    onDelta?: (attempt: number, text: string) => void,
  ): Promise<StepOutcome> {
    const { step, resolved, price } = ctx;
    const { target, adapter, config } = resolved;
    const attemptNo = log.attempts.length + 1;
    const started = this.deps.clock.monotonic();
    let reply: ProviderReply | null = null;
    let fault: ProviderFault | null = null;
    try {
      reply = await this.deps.breakers.run(step.provider, () =>
        adapter.complete(target, {
          messages: request.messages,
          maxOutputTokens: request.maxOutputTokens,
          stream: request.stream,
          responseFormat: request.responseFormat,
          firstByteTimeoutMs: config.firstByteTimeoutMs,
          totalTimeoutMs: config.totalTimeoutMs,
          signal,
          onDelta: onDelta && ((text) => onDelta(attemptNo, text)),
        }),
      );
    } catch (err) {
      fault = err instanceof ProviderFault ? err : new ProviderFault('connection', 'unexpected failure');
    }
    const ms = Math.round(this.deps.clock.monotonic() - started);
    const base = { provider: target.provider, deployment: target.deployment, baseModel: target.baseModel, ms, waitedMs: waitMs };

    if (fault?.kind === 'circuit_open') {
      // No HTTP request was made: a skipped step, not an attempt.
      log.skipped.push({ provider: step.provider, modelClass: step.modelClass, reason: 'circuit_open' });
      return { tag: 'skipped', fault };
    }

    if (fault) {
      const consumed = fault.usage ?? (fault.partialText ? await this.estimateUsage(request, fault.partialText) : null);
      const charged = consumed ? await this.charge(request, log, attemptNo, target, price, consumed, ms, fault.kind) : 0;
      log.attempts.push({ ...base, status: fault.status, outcome: fault.kind, message: fault.message, usage: consumed, costMicros: charged });
      this.deps.metrics.attempt(step.provider, ms, fault.kind === 'cancelled' ? null : { kind: fault.kind, message: fault.message, at: this.deps.clock.now() });
      if (log.ledgerFailed) return this.ledgerFailure(fault.partialText, null, target);
      if (fault.kind === 'content_filter' && policy.onContentFilter === 'refuse') {
        // A stream cut by the filter keeps what came before the cut, labelled partial.
        const text = fault.partialText;
        const result = { outcome: 'refused' as const, text, partial: text !== '', servedClass: step.modelClass, ...target };
        return { tag: 'done', result: { ...result, error: { kind: 'content_filter', provider: step.provider, detail: fault.message } } };
      }
      if (fault.kind === 'bad_request') {
        return { tag: 'done', result: { outcome: 'failed', error: { kind: fault.kind, provider: step.provider, detail: fault.message } } };
      }
      if (!RETRYABLE.has(fault.kind)) return { tag: 'next', fault };
      const wait = this.backoff(tryNo, fault.retryAfterMs);
      return wait > this.maxRetryWaitMs ? { tag: 'next', fault } : { tag: 'retry', waitMs: wait, fault };
    }

    const served = reply!;
    const used = served.usage ?? (await this.estimateUsage(request, served.text));
    const filtered = served.finishReason === 'content_filter';
    const status = filtered ? 'content_filter' : served.usage ? 'ok' : 'ok_estimated_usage';
    const charged = await this.charge(request, log, attemptNo, target, price, used, ms, status);
    log.attempts.push({ ...base, status: served.status, outcome: filtered ? 'content_filter' : 'ok', usage: used, costMicros: charged });
    const filterNote = served.flagged.length ? served.flagged.join(', ') : null;
    this.deps.metrics.attempt(step.provider, ms, filtered ? { kind: 'content_filter', message: filterNote ?? 'finish_reason content_filter', at: this.deps.clock.now() } : null);
    if (log.ledgerFailed) return this.ledgerFailure(served.text, served.finishReason, target);
    if (filtered && policy.onContentFilter === 'refuse') {
      return {
        tag: 'done',
        result: {
          outcome: 'refused',
          text: served.text,
          partial: served.text !== '',
          servedClass: step.modelClass,
          finishReason: served.finishReason,
          ...target,
          error: { kind: 'content_filter', provider: step.provider, detail: filterNote },
        },
      };
    }
    if (filtered) return { tag: 'next', fault: new ProviderFault('content_filter', filterNote ?? 'finish_reason content_filter', served.status) };
    if (ctx.servingIndex > 0) this.deps.metrics.servedByFallback(step.provider);
    const result = { outcome: 'ok' as const, text: served.text, finishReason: served.finishReason, servedClass: step.modelClass };
    return { tag: 'done', result: { ...result, ...target, servedByFallback: ctx.servingIndex > 0 } };
  }

  /** The reply came and was paid for, but its cost row could not be written: stop, keep what came. */
  private ledgerFailure(text: string, finishReason: string | null, target: ProviderTarget): StepOutcome {
    return { tag: 'done', result: { outcome: 'failed', text, finishReason, ...target, error: { kind: 'internal', provider: target.provider, detail: null } } };
  }

  /**
   * One tiny request straight to a provider, outside routing and its circuit breaker, so an
   * operator can check settings even while the circuit is open. Charged like any attempt.
   */
  /** Test connection: one tiny request to what `resolved` names (saved settings or the form's draft), charged like any. */
  async probe(resolved: Resolved, signal?: AbortSignal) {
    const none = { ms: 0, deployment: null, baseModel: null, status: null, detail: null, unpriced: false, costMicros: 0, failure: null };
    if (!resolved.ok) return { ok: false, outcome: resolved.reason, ...none };
    const { target, adapter, config } = resolved;
    const request: CompletionRequest = { purpose: 'analysis', messages: [{ role: 'user', content: 'Reply with the word OK.' }], modelClass: 'economy', maxOutputTokens: 5, stream: false };
    const price = this.priceOf(resolved);
    const log = new RequestLog(this.newId(), false, 'economy');
    const started = this.deps.clock.monotonic();
    let reply: ProviderReply;
    try {
      reply = await adapter.complete(target, { ...request, firstByteTimeoutMs: config.firstByteTimeoutMs, totalTimeoutMs: config.totalTimeoutMs, signal });
    } catch (err) {
      const ms = Math.round(this.deps.clock.monotonic() - started);
      const fault = err instanceof ProviderFault ? err : new ProviderFault('connection', 'unexpected failure');
      return { ...none, ok: false, outcome: fault.kind, ms, ...target, status: fault.status, detail: fault.message, failure: probeFailure(fault, config.endpoint) };
    }
    const ms = Math.round(this.deps.clock.monotonic() - started);
    const used = reply.usage ?? (await this.estimateUsage(request, reply.text));
    const cost = await this.charge(request, log, 1, target, price, used, ms, 'connection_test');
    return { ok: true, outcome: 'connected' as const, ms, ...target, status: reply.status, detail: null, unpriced: price.source === 'unpriced', costMicros: cost, failure: null };
  }

  /** retry-after when the provider gave one, else exponential backoff with full jitter: uniform in [0, ceiling]. */
  private backoff(tryNo: number, retryAfterMs: number | null): number {
    if (retryAfterMs !== null) return retryAfterMs;
    const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (tryNo - 1));
    return Math.round(this.random() * ceiling);
  }

  private async estimateUsage(request: CompletionRequest, text: string): Promise<Usage> {
    return { inputTokens: await estimatePromptTokens(request.messages), cachedInputTokens: 0, outputTokens: await estimateTextTokens(text) };
  }

  /**
   * Records the attempt's cost. A ledger failure is not a provider fault: it is logged with the
   * whole row (so the spend can be recovered by hand) and marks the request to end, never to resend.
   */
  private async charge(request: CompletionRequest, log: RequestLog, attempt: number, target: ProviderTarget, price: Price, used: Usage, latencyMs: number, status: string): Promise<number> {
    const micros = costMicros(used, price);
    const row = {
      id: this.newId(),
      requestId: log.requestId,
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
    };
    try {
      await this.deps.ledger.record(row);
    } catch (err) {
      log.ledgerFailed = true;
      this.deps.logger.error('ledger: a cost row could not be recorded', { row, error: err instanceof Error ? err.message : String(err) });
    }
    log.usage = addUsage(log.usage, used);
    log.cost += micros;
    return micros;
  }
}
