import type { ProviderConfig, ProviderId } from '../../shared/ai';
import type { SandboxFaultKind } from '../../shared/sandbox';
import type { SandboxFault, SandboxServer } from '../sandbox/server';
import { DEFAULT_PROVIDERS } from './config';
import type { ProviderSource } from './providers';

const SANDBOX_KEY = 'sandbox-key-not-a-secret';
/** Stands in for the sandbox server's address, which changes at every start. */
export const SANDBOX_ENDPOINT = 'http://127.0.0.1/sandbox';
// Short enough that a faulted `timeout` in the Playground answers within seconds.
const timeouts = { firstByteTimeoutMs: 5_000, totalTimeoutMs: 15_000 } as const;

/** The Sandbox profile's first provider settings: realistic deployments and base models, all enabled. */
export const SANDBOX_PROVIDERS: Record<ProviderId, ProviderConfig> = {
  azure: {
    ...DEFAULT_PROVIDERS.azure,
    ...timeouts,
    enabled: true,
    endpoint: SANDBOX_ENDPOINT,
    deployment: 'huntaze-prod-chat',
    baseModel: 'gpt-4o',
    classModels: {
      standard: { deployment: 'huntaze-mini', baseModel: 'gpt-4o-mini' },
      economy: { deployment: 'huntaze-mini', baseModel: 'gpt-4o-mini' },
    },
  },
  openai: {
    ...DEFAULT_PROVIDERS.openai,
    ...timeouts,
    enabled: true,
    endpoint: SANDBOX_ENDPOINT,
    deployment: 'gpt-4o',
    baseModel: 'gpt-4o',
    classModels: { standard: { deployment: 'gpt-4o-mini', baseModel: 'gpt-4o-mini' }, economy: { deployment: 'gpt-4o-mini', baseModel: 'gpt-4o-mini' } },
  },
  local: { ...DEFAULT_PROVIDERS.local, ...timeouts, enabled: true, endpoint: SANDBOX_ENDPOINT },
};

/**
 * The Sandbox profile's own stored settings, with every endpoint pointed at the running sandbox
 * server and a stand-in key: nothing there can reach a real provider.
 */
export function sandboxSource(sandbox: SandboxServer, stored: (id: ProviderId) => ProviderConfig): ProviderSource {
  const endpoints: Record<ProviderId, string> = { azure: sandbox.azureEndpoint, openai: sandbox.openaiBaseURL, local: sandbox.localBaseURL };
  return { config: (id) => ({ ...stored(id), endpoint: endpoints[id] }), apiKey: () => SANDBOX_KEY };
}

/** The Playground's fault picker speaks in fault kinds; the sandbox takes fault objects. */
export function faultFor(kind: SandboxFaultKind): SandboxFault {
  switch (kind) {
    case 'rate_limit':
      return { kind, retryAfterMs: 500 };
    case 'stream_drop':
      return { kind, afterChunks: 2 };
    default:
      return { kind };
  }
}
