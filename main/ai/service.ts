import { PROVIDER_IDS, type CompletionRequest, type ProviderConfig, type ProviderId } from '../../shared/ai';
import { AppError } from '../../shared/result';
import type { SANDBOX_FAULTS } from '../../shared/contract';
import type { Db } from '../db/open';
import { Ledger } from '../ledger/ledger';
import type { Outbox } from '../outbox';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { type SandboxServer, type SandboxTarget, startSandbox } from '../sandbox/server';
import type { SecretStore } from '../secrets';
import { type BreakerOptions, Breakers } from './breakers';
import { AiConfigStore } from './config';
import { KeyRing } from './keyring';
import { OrchestratorMetrics } from './metrics';
import { Orchestrator } from './orchestrator';
import { PriceBook } from './pricing';
import { type ProviderSource, ProviderRegistry } from './providers';
import { faultFor, sandboxSource } from './sandbox-mode';

export interface AiServiceOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  secrets: SecretStore;
  /** Where the ledger announces each cost row; the ledger makes its own over `db` when absent. */
  outbox?: Outbox;
  breaker?: BreakerOptions;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  maxRetryWaitMs?: number;
}

type SandboxFaultKind = (typeof SANDBOX_FAULTS)[number];

/** The AI capability as the contract sees it: orchestrator, provider settings, keys, sandbox. */
export class AiService {
  readonly config: AiConfigStore;
  readonly ledger: Ledger;
  readonly breakers: Breakers;
  readonly metrics = new OrchestratorMetrics();
  readonly orchestrator: Orchestrator;
  private readonly keys: KeyRing;
  private readonly providers: ProviderRegistry;
  private readonly realSource: ProviderSource;
  private sandbox: SandboxServer | null = null;
  private sandboxSwitch: Promise<void> = Promise.resolve();
  private sandboxFaults: Partial<Record<SandboxTarget, SandboxFaultKind>> = {};

  constructor(private readonly options: AiServiceOptions) {
    const { db, clock, logger } = options;
    this.config = new AiConfigStore(db, clock, logger);
    this.ledger = new Ledger(db, clock, options.outbox);
    this.breakers = new Breakers(options.breaker);
    this.keys = new KeyRing(options.secrets, logger);
    this.realSource = { config: (id) => this.config.providers()[id], apiKey: (id) => this.keys.get(id) };
    this.providers = new ProviderRegistry(this.realSource, clock);
    this.orchestrator = new Orchestrator({
      clock,
      logger,
      config: this.config,
      providers: this.providers,
      ledger: this.ledger,
      prices: new PriceBook(),
      breakers: this.breakers,
      metrics: this.metrics,
      sleep: options.sleep,
      random: options.random,
      maxRetryWaitMs: options.maxRetryWaitMs,
    });
  }

  get sandboxServer(): SandboxServer | null {
    return this.sandbox;
  }

  /** Serialized: two quick toggles must not start two sandboxes or close one still starting. */
  setSandboxMode(on: boolean): Promise<void> {
    this.sandboxSwitch = this.sandboxSwitch.catch(() => undefined).then(() => this.switchSandbox(on));
    return this.sandboxSwitch;
  }

  private async switchSandbox(on: boolean): Promise<void> {
    if (on && !this.sandbox) {
      this.sandbox = await startSandbox({ clock: this.options.clock });
      this.providers.useSource(sandboxSource(this.sandbox));
      this.options.logger.info('sandbox mode on: AI calls go to the loopback sandbox', { url: this.sandbox.url });
    } else if (!on && this.sandbox) {
      const sandbox = this.sandbox;
      this.sandbox = null;
      this.sandboxFaults = {};
      this.providers.useSource(this.realSource);
      await sandbox.close();
    }
  }

  async complete(request: CompletionRequest) {
    await this.keys.ready;
    return this.orchestrator.complete(request);
  }

  async test(provider: ProviderId) {
    await this.keys.ready;
    return this.orchestrator.probe(provider);
  }

  private view(id: ProviderId) {
    return {
      id,
      config: this.config.providers()[id],
      keySet: this.keys.get(id) !== undefined,
      configured: this.providers.isConfigured(id),
      circuit: this.breakers.state(id),
    };
  }

  async list() {
    await this.keys.ready;
    return {
      providers: PROVIDER_IDS.map((id) => this.view(id)),
      secretStore: { kind: this.options.secrets.kind, weaker: this.options.secrets.weaker },
      sandboxMode: this.sandbox !== null,
    };
  }

  async update(provider: ProviderId, config: ProviderConfig) {
    if (provider === 'azure' && config.enabled && (!config.endpoint || !config.deployment || !config.baseModel)) {
      throw new AppError('invalid_input', 'Azure needs an endpoint, a deployment name and the base model it runs.', ['config: endpoint, deployment and baseModel are required for Azure']);
    }
    this.config.setProvider(provider, config);
    await this.keys.ready;
    return this.view(provider);
  }

  async setKey(provider: ProviderId, apiKey: string) {
    await this.keys.set(provider, apiKey);
    return { keySet: true };
  }

  async clearKey(provider: ProviderId) {
    await this.keys.clear(provider);
    return { keySet: false };
  }

  health() {
    return PROVIDER_IDS.map((id) => {
      const m = this.metrics.snapshot(id);
      return {
        provider: id,
        enabled: this.sandbox !== null || this.config.providers()[id].enabled,
        configured: this.providers.isConfigured(id),
        circuit: this.breakers.state(id),
        lastError: m.lastError,
        p50Ms: m.p50Ms,
        p95Ms: m.p95Ms,
      };
    });
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
    return { enabled: this.sandbox !== null, url: this.sandbox?.url ?? null, faults: { ...this.sandboxFaults } };
  }

  setSandboxFault(target: SandboxTarget, fault: SandboxFaultKind | null) {
    if (!this.sandbox) throw new AppError('conflict', 'Sandbox faults can only be set while Sandbox mode is on.');
    this.sandbox.setStandingFault(target, fault ? faultFor(fault) : null);
    if (fault) this.sandboxFaults[target] = fault;
    else delete this.sandboxFaults[target];
    return this.sandboxState();
  }

  async close(): Promise<void> {
    this.ledger.flush();
    await this.setSandboxMode(false);
  }
}
