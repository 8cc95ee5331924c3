import { z } from 'zod';
import {
  AZURE_API_VERSION,
  PROVIDER_IDS,
  type ProviderConfig,
  providerConfigSchema,
  type ProviderId,
  type RoutingPolicy,
  routingPolicySchema,
} from '../../shared/ai';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';

const base = { classModels: {}, priceOverride: null, firstByteTimeoutMs: 15_000, totalTimeoutMs: 60_000 } as const;

export const DEFAULT_PROVIDERS: Record<ProviderId, ProviderConfig> = {
  azure: { ...base, enabled: false, endpoint: '', deployment: '', apiVersion: AZURE_API_VERSION, baseModel: 'gpt-4o' },
  openai: { ...base, enabled: false, endpoint: '', deployment: 'gpt-4o-mini', apiVersion: '', baseModel: 'gpt-4o-mini' },
  local: { ...base, enabled: false, endpoint: 'http://127.0.0.1:11434/v1', deployment: 'llama3.1', apiVersion: '', baseModel: 'llama3.1' },
};

/** Azure first, OpenAI as fallback, a local model last when configured. */
export const DEFAULT_ROUTING: RoutingPolicy = {
  routes: {
    '*:*': [
      { provider: 'azure', modelClass: 'premium' },
      { provider: 'openai', modelClass: 'standard' },
      { provider: 'local', modelClass: 'economy' },
    ],
  },
  maxAttemptsPerProvider: 2,
  onContentFilter: 'refuse',
};

const providersSchema = z.object(Object.fromEntries(PROVIDER_IDS.map((id) => [id, providerConfigSchema])) as Record<ProviderId, typeof providerConfigSchema>);

/** Provider settings and the routing policy: data in SQLite, edited by Settings and the optimizer. */
export class AiConfigStore {
  private readonly read;
  private readonly write;
  private providersCache: Record<ProviderId, ProviderConfig> | null = null;
  private routingCache: RoutingPolicy | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** The Sandbox profile starts from its own provider settings, not the live defaults. */
    private readonly defaults: Record<ProviderId, ProviderConfig> = DEFAULT_PROVIDERS,
  ) {
    this.read = db.prepare<[string], { value: string }>('SELECT value FROM ai_config WHERE key = ?');
    this.write = db.prepare<[string, string, number]>(
      `INSERT INTO ai_config (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  private load<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
    const row = this.read.get(key);
    if (!row) return fallback;
    const parsed = schema.safeParse(JSON.parse(row.value));
    if (parsed.success) return parsed.data;
    this.logger.warn('ai config: stored value no longer valid, using defaults', { key });
    return fallback;
  }

  providers(): Record<ProviderId, ProviderConfig> {
    this.providersCache ??= this.load('providers', providersSchema, structuredClone(this.defaults));
    return this.providersCache;
  }

  routing(): RoutingPolicy {
    this.routingCache ??= this.load('routing', routingPolicySchema, structuredClone(DEFAULT_ROUTING));
    return this.routingCache;
  }

  setProvider(id: ProviderId, config: ProviderConfig): Record<ProviderId, ProviderConfig> {
    const next = { ...this.providers(), [id]: config };
    this.write.run('providers', JSON.stringify(next), this.clock.now());
    this.providersCache = next;
    return next;
  }

  setRouting(policy: RoutingPolicy): RoutingPolicy {
    this.write.run('routing', JSON.stringify(policy), this.clock.now());
    this.routingCache = policy;
    return policy;
  }
}
