import OpenAI from 'openai';
import type { ProviderConfig } from '../../../shared/ai';

export function createOpenAIClient(config: ProviderConfig, apiKey: string): OpenAI {
  return new OpenAI({
    apiKey,
    baseURL: config.endpoint || undefined,
    maxRetries: 0,
    timeout: config.totalTimeoutMs,
  });
}
