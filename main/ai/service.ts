import { setMaxListeners } from 'node:events';
import { PROVIDER_IDS, type CircuitState, type CompletionRequest, type ProviderConfig, type ProviderId } from '../../shared/ai';
import { AppError } from '../../shared/result';
import type { SandboxFaultKind, SandboxTarget } from '../../shared/sandbox';
import type { Db } from '../db/open';
import { Budgets, type BudgetsDeps } from '../budgets/budgets';
import { Ledger, type LedgerOptions } from '../ledger/ledger';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { RequestLog, type RequestLogOptions } from '../requests/log';
import { RequestQueries } from '../requests/queries';
import { createOutbox, type Outbox } from '../outbox';
import type { SandboxServer } from '../sandbox/server';
import type { SecretStore } from '../secrets';
import { type BreakerOptions, Breakers } from './breakers';
import { AiConfigStore } from './config';
import { KeyRing } from './keyring';
import { OrchestratorMetrics } from './metrics';
import { Orchestrator, type OrchestratorDeps } from './orchestrator';
import { priceIssues } from './price-checks';
import { PriceBook } from './pricing';
import { type ProviderSource, ProviderRegistry } from './providers';
import { faultFor, SANDBOX_PROVIDERS, sandboxSource } from './sandbox-mode';

export interface AiServiceOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /**
   * Live: keys from the SecretStore and the operator's provider settings. Sandbox: every call goes
   * to the loopback sandbox server; no key is read or written.
   */
  mode: { kind: 'live'; secrets: SecretStore } | { kind: 'sandbox'; server: SandboxServer };
  /** The profile's outbox: each cost row is announced there, in the row's own transaction. */
  outbox?: Outbox;
  /** The agency's zone and the hooks that announce commits and rebuilds. */
  ledger?: LedgerOptions;
  /** Where this profile's budget alerts go; without it, nowhere but the history. */
  budgets?: Pick<BudgetsDeps, 'profile' | 'channels' | 'onFired' | 'projectionEveryMs'>;
  /** Who hears that the request log grew. */
  requestLog?: RequestLogOptions;
  breaker?: BreakerOptions;
  /** A circuit changed state (opened, half-open, closed, reset). */
  onCircuit?: (provider: ProviderId, state: CircuitState) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  maxRetryWaitMs?: number;
  /** The team's hard stops (aws/spend-budget.ts), live profile only. */
  team?: OrchestratorDeps['team'];
}

/**
 * The AI capability of one profile (live or sandbox), as the contract sees it: orchestrator,
 * provider settings, keys, breakers and metrics. Each profile has its own, over its own database.
 */
export class AiService {
  readonly config: AiConfigStore;
  readonly ledger: Ledger;
  readonly budgets: Budgets;
  readonly breakers: Breakers;
  readonly metrics = new OrchestratorMetrics();
  readonly orchestrator: Orchestrator;
  /** One row per request, written when it ends; read by the Requests page. */
  readonly requestLog: RequestLog;
  readonly requests: RequestQueries;
  private readonly keys: KeyRing | null;
  private readonly providers: ProviderRegistry;
  private readonly source: ProviderSource;
  private readonly prices = new PriceBook();
  private sandboxFaults: Partial<Record<SandboxTarget, SandboxFaultKind>> = {};
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor(private readonly options: AiServiceOptions) {
    const { db, clock, logger, mode } = options;
    // Every call in flight listens on the profile's one abort signal: hundreds at once is normal.
    setMaxListeners(0, this.abort.signal);
    this.config = new AiConfigStore(db, clock, logger, mode.kind === 'sandbox' ? SANDBOX_PROVIDERS : undefined);
    const outbox = options.outbox ?? createOutbox({ db, clock, logger });
    this.budgets = new Budgets({ db, clock, logger, outbox, profile: mode.kind, channels: () => ['os'], ...options.budgets });
    const onRows = options.ledger?.onRows;
    this.ledger = new Ledger(db, clock, outbox, {
      logger,
      ...options.ledger,
      onRows: (rows) => {
        onRows?.(rows);
        this.budgets.evaluator.committed(rows);
      },
    });
    this.budgets.attach(this.ledger);
    this.breakers = new Breakers(options.breaker, clock, options.onCircuit);
    this.requestLog = new RequestLog(db, { logger, ...options.requestLog });
    this.requests = new RequestQueries(db);
    let source: ProviderSource;
    if (mode.kind === 'live') {
      const keys = new KeyRing(mode.secrets, logger);
      this.keys = keys;
      source = { config: (id) => this.config.providers()[id], apiKey: (id) => keys.get(id) };
    } else {
      this.keys = null;
      source = sandboxSource(mode.server, (id) => this.config.providers()[id]);
    }
    this.source = source;
    this.providers = new ProviderRegistry(source, clock);
    this.orchestrator = new Orchestrator({
      clock,
      logger,
      config: this.config,
      providers: this.providers,
      ledger: this.ledger,
      budgets: this.budgets,
      prices: this.prices,
      breakers: this.breakers,
      metrics: this.metrics,
      sleep: options.sleep,
      random: options.random,
      maxRetryWaitMs: options.maxRetryWaitMs,
      team: options.team,
    });
  }

  get sandboxServer(): SandboxServer | null {
    return this.options.mode.kind === 'sandbox' ? this.options.mode.server : null;
  }

  /** Tracks the call so closing the profile can cancel and wait for it; nothing is left half-written. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  async complete(request: CompletionRequest, signal?: AbortSignal, onDelta?: (attempt: number, text: string) => void) {
    await this.keys?.ready;
    const signals = signal ? AbortSignal.any([signal, this.abort.signal]) : this.abort.signal;
    const ts = this.options.clock.now();
    const started = this.options.clock.monotonic();
    // Logged inside the tracked work, so closing the profile waits for the row to be queued.
    const logged = this.orchestrator.complete(request, signals, onDelta).then((result) => {
      this.requestLog.record({ request, result, ts, latencyMs: this.options.clock.monotonic() - started });
      return result;
    });
    return this.track(logged);
  }

  /** Saved settings, or the form's draft with its typed key (used for this one request, never stored). */
  async test(provider: ProviderId, draft?: { config: ProviderConfig; apiKey?: string | undefined }) {
    await this.keys?.ready;
    let resolved;
    if (!draft) resolved = this.providers.resolve(provider, 'premium');
    else if (this.options.mode.kind === 'sandbox') {
      // The sandbox answers whatever the draft names; its address and stand-in key replace the form's.
      resolved = this.providers.resolveDraft(provider, { ...draft.config, endpoint: this.source.config(provider).endpoint }, this.source.apiKey(provider));
    } else resolved = this.providers.resolveDraft(provider, draft.config, draft.apiKey ?? this.source.apiKey(provider));
    return this.track(this.orchestrator.probe(resolved, this.abort.signal));
  }

  private view(id: ProviderId) {
    return {
      id,
      config: this.config.providers()[id],
      keySet: this.keys ? this.keys.get(id) !== undefined : true,
      configured: this.providers.isConfigured(id),
      circuit: this.breakers.state(id),
    };
  }

  async list() {
    await this.keys?.ready;
    const mode = this.options.mode;
    return {
      providers: PROVIDER_IDS.map((id) => this.view(id)),
      secretStore: mode.kind === 'live' ? { kind: mode.secrets.kind, weaker: mode.secrets.weaker } : { kind: 'os-keychain' as const, weaker: false },
      sandboxMode: mode.kind === 'sandbox',
    };
  }

  async update(provider: ProviderId, config: ProviderConfig, options: { apiKey?: string | undefined; confirmPrice?: boolean | undefined } = {}) {
    if (provider === 'azure' && config.enabled && (!config.endpoint || !config.deployment || !config.baseModel)) {
      const missing = (['endpoint', 'deployment', 'baseModel'] as const).filter((f) => !config[f]);
      throw new AppError(
        'invalid_input',
        'azure_incomplete',
        {},
        missing.map((field) => ({ path: ['config', field], code: 'custom', params: { rule: 'required_for_azure' } })),
      );
    }
    const refused = priceIssues(this.prices, provider, config, new Date(this.options.clock.now()), options.confirmPrice === true);
    if (refused.length > 0) {
      const issues = refused.map(({ path, rule, params }) => ({ path: ['config', ...path], code: 'custom', params: { rule, ...params } }));
      throw new AppError('invalid_input', 'invalid_input', {}, issues);
    }
    // Checked before anything is written: a key typed in the Sandbox profile must not leave half a save behind.
    const keys = options.apiKey === undefined ? null : this.liveKeys();
    this.config.setProvider(provider, config);
    if (keys && options.apiKey !== undefined) await keys.set(provider, options.apiKey);
    await this.keys?.ready;
    return this.view(provider);
  }

  private liveKeys(): KeyRing {
    if (!this.keys) throw new AppError('conflict', 'sandbox_keys');
    return this.keys;
  }

  async setKey(provider: ProviderId, apiKey: string) {
    await this.liveKeys().set(provider, apiKey);
    return { keySet: true };
  }

  async clearKey(provider: ProviderId) {
    await this.liveKeys().clear(provider);
    return { keySet: false };
  }

  health() {
    return PROVIDER_IDS.map((id) => {
      const m = this.metrics.snapshot(id);
      return {
        provider: id,
        enabled: this.config.providers()[id].enabled,
        configured: this.providers.isConfigured(id),
        circuit: this.breakers.state(id),
        ...this.circuitDetail(id),
        lastError: m.lastError,
        p50Ms: m.p50Ms,
        p95Ms: m.p95Ms,
      };
    });
  }

  private circuitDetail(id: ProviderId) {
    const { openedAt, nextProbeAt, lastReset } = this.breakers.view(id);
    return { openedAt, nextProbeAt, lastReset, readAt: this.options.clock.now() };
  }

  /** The operator closes a circuit by hand; who and when is kept in the log as the audit trail. */
  resetCircuit(provider: ProviderId, by: string) {
    const before = this.breakers.state(provider);
    this.breakers.reset(provider, by);
    this.options.logger.info('ai: circuit reset by the operator', { provider, by, before, profile: this.options.mode.kind });
    return this.health().find((p) => p.provider === provider)!;
  }

  metricsView() {
    const costs = this.ledger.costTodayByProvider();
    const providers = PROVIDER_IDS.map((id) => {
      const { lastError: _lastError, ...m } = this.metrics.snapshot(id);
      return { provider: id, ...m, costTodayMicros: costs[id] ?? 0 };
    });
    return { providers, costTodayMicros: providers.reduce((sum, p) => sum + p.costTodayMicros, 0) };
  }

  sandboxState() {
    const server = this.sandboxServer;
    return { enabled: server !== null, url: server?.url ?? null, faults: { ...this.sandboxFaults } };
  }

  setSandboxFault(target: SandboxTarget, fault: SandboxFaultKind | null) {
    const server = this.sandboxServer;
    if (!server) throw new AppError('conflict', 'sandbox_off');
    server.setStandingFault(target, fault ? faultFor(fault) : null);
    if (fault) this.sandboxFaults[target] = fault;
    else delete this.sandboxFaults[target];
    return this.sandboxState();
  }

  /** Cancels calls in flight (their spend so far is still recorded), waits for them, flushes the ledger and folds its rollups. */
  async close(): Promise<void> {
    this.abort.abort(new Error('profile closing'));
    await Promise.allSettled([...this.inFlight]);
    this.ledger.flush();
    this.requestLog.flush();
    try {
      this.ledger.settle();
    } catch (err) {
      // Nothing is lost: the next open folds what is left past the watermark.
      this.options.logger.error('ai: folding the rollups at close failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
