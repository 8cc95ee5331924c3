import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { CompletionRequest, ProviderConfig, ProviderId } from '../../shared/ai';
import { DEFAULT_PROVIDERS } from '../../main/ai/config';
import type { Logger } from '../../main/ports/logger';
import { type SandboxServer, startSandbox } from '../../main/sandbox/server';
import { createServices, type Services, type ServicesOptions } from '../../main/services';
import { useTempDirs } from './tmp';

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push(JSON.stringify({ level, msg, ...fields }));
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

/** Real provider settings (not Sandbox mode) that happen to point at a loopback sandbox server. */
export function configsFor(sandbox: SandboxServer, timeouts = { firstByteTimeoutMs: 1_000, totalTimeoutMs: 5_000 }): Record<ProviderId, ProviderConfig> {
  return {
    azure: {
      ...DEFAULT_PROVIDERS.azure,
      ...timeouts,
      enabled: true,
      endpoint: sandbox.azureEndpoint,
      deployment: 'prod-chat-eu',
      baseModel: 'gpt-4o',
      classModels: { standard: { deployment: 'cheap-chat', baseModel: 'gpt-4o-mini' } },
    },
    openai: { ...DEFAULT_PROVIDERS.openai, ...timeouts, enabled: true, endpoint: sandbox.openaiBaseURL, deployment: 'gpt-4o-mini', baseModel: 'gpt-4o-mini' },
    local: { ...DEFAULT_PROVIDERS.local, ...timeouts, enabled: true, endpoint: sandbox.localBaseURL, deployment: 'llama3.1', baseModel: 'llama3.1' },
  };
}

export interface AiRig {
  dataDir: string;
  sandbox: SandboxServer;
  services: Services;
  logger: RecordingLogger;
  waits: number[];
  close(): Promise<void>;
}

/** Services over a real SQLite file and a real sandbox server, with keys set through the contract. */
export async function startAiRig(
  dataDir: string,
  options: {
    breaker?: { threshold: number; halfOpenAfterMs: number };
    keys?: Partial<Record<ProviderId, string>>;
    enable?: ProviderId[];
    alerts?: ServicesOptions['alerts'];
  } = {},
): Promise<AiRig> {
  const sandbox = await startSandbox();
  const logger = recordingLogger();
  const waits: number[] = [];
  const servicesDir = join(dataDir, 'data');
  const services = await createServices({
    dataDir: servicesDir,
    host: 'web',
    logger,
    ai: {
      breaker: options.breaker ?? { threshold: 100, halfOpenAfterMs: 60_000 },
      // Waits are recorded, not slept: the test asserts the orchestrator chose the right one.
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
    },
    alerts: options.alerts,
  });
  const configs = configsFor(sandbox);
  for (const id of ['azure', 'openai', 'local'] as const) {
    const enabled = options.enable ? options.enable.includes(id) : true;
    await services.registry.dispatch('providers.update', { provider: id, config: { ...configs[id], enabled } });
  }
  const keys = options.keys ?? { azure: 'azure-test-key-0001', openai: 'sk-openai-test-0001' };
  for (const [provider, apiKey] of Object.entries(keys)) await services.registry.dispatch('providers.setKey', { provider, apiKey });
  let closed: Promise<void> | undefined;
  return {
    dataDir: servicesDir,
    sandbox,
    services,
    logger,
    waits,
    close() {
      closed ??= services.close().then(() => sandbox.close());
      return closed;
    },
  };
}

/** Starts rigs in fresh folders; every one is closed after its test. */
export function useAiRig(): (options?: Parameters<typeof startAiRig>[1]) => Promise<AiRig> {
  const tempDir = useTempDirs();
  const rigs: AiRig[] = [];
  afterEach(async () => {
    for (const rig of rigs.splice(0)) await rig.close();
  });
  return async (options) => {
    const rig = await startAiRig(tempDir(), options);
    rigs.push(rig);
    return rig;
  };
}

export const prompt = (content = 'Write a warm welcome for a new fan called Sam.'): CompletionRequest => ({
  purpose: 'personalize',
  messages: [{ role: 'user', content }],
  modelClass: 'premium',
  maxOutputTokens: 120,
  stream: false,
});
