import type OpenAI from 'openai';
import type { ModelClass, PriceOverride, ProviderConfig, ProviderId } from '../../shared/ai';
import type { Clock } from '../ports/clock';
import { createAzureClient } from './azure';
import { createLocalClient } from './local';
import { OpenAICompatibleAdapter } from './openai-compatible/adapter';
import { createOpenAIClient } from './openai';
import type { ProviderAdapter, ProviderTarget } from './types';

/** Where provider settings and keys come from: Settings + SecretStore, or the sandbox. */
export interface ProviderSource {
  config(id: ProviderId): ProviderConfig;
  /** Synchronous: keys are held in memory once loaded, so the hot path never waits on a keychain. */
  apiKey(id: ProviderId): string | undefined;
}

export type Resolved =
  | { ok: true; target: ProviderTarget; adapter: ProviderAdapter; config: ProviderConfig; priceOverride: PriceOverride | null }
  | { ok: false; reason: 'disabled' | 'not_configured' };

const needsKey = (id: ProviderId) => id !== 'local';

function missingSetting(id: ProviderId, c: ProviderConfig): boolean {
  if (!c.deployment) return true;
  if (id === 'azure') return !c.endpoint || !c.baseModel;
  if (id === 'local') return !c.endpoint;
  return false;
}

const createClient = (id: ProviderId, config: ProviderConfig, key: string | undefined): OpenAI =>
  id === 'azure' ? createAzureClient(config, key!) : id === 'openai' ? createOpenAIClient(config, key!) : createLocalClient(config, key);

/** A class may run its own deployment, with its own price override; else the provider's main one. */
function targetOf(id: ProviderId, config: ProviderConfig, modelClass: ModelClass): { target: ProviderTarget; priceOverride: PriceOverride | null } {
  const classModel = config.classModels[modelClass];
  const target: ProviderTarget = classModel
    ? { provider: id, deployment: classModel.deployment, baseModel: classModel.baseModel }
    : { provider: id, deployment: config.deployment, baseModel: config.baseModel || config.deployment };
  return { target, priceOverride: classModel ? (classModel.priceOverride ?? null) : config.priceOverride };
}

/** Builds one SDK client per provider and rebuilds it only when its settings or key change. */
export class ProviderRegistry {
  private readonly clients = new Map<ProviderId, { fingerprint: string; client: OpenAI; adapter: ProviderAdapter }>();

  constructor(
    private source: ProviderSource,
    private readonly clock: Clock,
  ) {}

  useSource(source: ProviderSource): void {
    this.source = source;
    this.clients.clear();
  }

  isConfigured(id: ProviderId): boolean {
    const c = this.source.config(id);
    return !missingSetting(id, c) && (!needsKey(id) || Boolean(this.source.apiKey(id)));
  }

  resolve(id: ProviderId, modelClass: ModelClass): Resolved {
    const config = this.source.config(id);
    if (!config.enabled) return { ok: false, reason: 'disabled' };
    const key = this.source.apiKey(id);
    if (missingSetting(id, config) || (needsKey(id) && !key)) return { ok: false, reason: 'not_configured' };
    return { ok: true, ...targetOf(id, config, modelClass), adapter: this.adapter(id, config, key), config };
  }

  /**
   * The form's unsaved settings, for Test connection: tried even while the provider is off, on a
   * client of their own that is never cached, since it may carry a key typed but not saved.
   */
  resolveDraft(id: ProviderId, config: ProviderConfig, key: string | undefined): Resolved {
    if (missingSetting(id, config) || (needsKey(id) && !key)) return { ok: false, reason: 'not_configured' };
    const adapter = new OpenAICompatibleAdapter(createClient(id, config, key), this.clock);
    return { ok: true, ...targetOf(id, config, 'premium'), adapter, config };
  }

  private adapter(id: ProviderId, config: ProviderConfig, key: string | undefined): ProviderAdapter {
    // The key is part of the fingerprint only in memory; it is never logged or stored from here.
    const fingerprint = JSON.stringify([config.endpoint, config.apiVersion, config.totalTimeoutMs, key ?? '']);
    const cached = this.clients.get(id);
    if (cached?.fingerprint === fingerprint) return cached.adapter;
    const client = createClient(id, config, key);
    const adapter = new OpenAICompatibleAdapter(client, this.clock);
    this.clients.set(id, { fingerprint, client, adapter });
    return adapter;
  }
}
