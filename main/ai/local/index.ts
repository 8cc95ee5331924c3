import OpenAI from 'openai';
import type { ProviderConfig } from '../../../shared/ai';

/** Ollama, LM Studio and other OpenAI-compatible servers; most need no key. */
export function createLocalClient(config: ProviderConfig, apiKey: string | undefined): OpenAI {
  return new OpenAI({
    apiKey: apiKey || 'not-needed',
    baseURL: config.endpoint,
    maxRetries: 0,
    timeout: config.totalTimeoutMs,
  });
}
