import { AzureOpenAI } from 'openai';
import { AZURE_API_VERSION, type ProviderConfig } from '../../../shared/ai';

/**
 * Azure OpenAI: the deployment name goes in the URL path (the SDK takes it from `model`), and
 * it says nothing about the model behind it — prices use the configured base model.
 */
export function createAzureClient(config: ProviderConfig, apiKey: string): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: config.endpoint,
    apiKey,
    apiVersion: config.apiVersion || AZURE_API_VERSION,
    maxRetries: 0,
    timeout: config.totalTimeoutMs,
  });
}
