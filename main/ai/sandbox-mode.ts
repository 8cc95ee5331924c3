import type { ProviderConfig, ProviderId } from '../../shared/ai';
import type { SandboxFault, SandboxServer, SandboxTarget } from '../sandbox/server';
import { DEFAULT_PROVIDERS } from './config';
import type { ProviderSource } from './providers';

const SANDBOX_KEY = 'sandbox-key-not-a-secret';
// Short enough that a faulted `timeout` in the Playground answers within seconds.
const timeouts = { firstByteTimeoutMs: 5_000, totalTimeoutMs: 15_000 } as const;

/** Every provider pointed at the loopback sandbox, with realistic deployments and base models. */
export function sandboxSource(sandbox: SandboxServer): ProviderSource {
  const configs: Record<ProviderId, ProviderConfig> = {
    azure: {
      ...DEFAULT_PROVIDERS.azure,
      ...timeouts,
      enabled: true,
      endpoint: sandbox.azureEndpoint,
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
      endpoint: sandbox.openaiBaseURL,
      deployment: 'gpt-4o',
      baseModel: 'gpt-4o',
      classModels: { standard: { deployment: 'gpt-4o-mini', baseModel: 'gpt-4o-mini' }, economy: { deployment: 'gpt-4o-mini', baseModel: 'gpt-4o-mini' } },
    },
    local: { ...DEFAULT_PROVIDERS.local, ...timeouts, enabled: true, endpoint: sandbox.localBaseURL },
  };
  return { config: (id) => configs[id], apiKey: () => SANDBOX_KEY };
}

/** The Playground's fault picker speaks in fault kinds; the sandbox takes fault objects. */
export function faultFor(kind: SandboxFault['kind']): SandboxFault {
  switch (kind) {
    case 'rate_limit':
      return { kind, retryAfterMs: 500 };
    case 'stream_drop':
      return { kind, afterChunks: 2 };
    default:
      return { kind } as SandboxFault;
  }
}

export type { SandboxTarget };
