import type { aiMethods } from '../../shared/contract/ai';
import type { HandlersFor } from '../ipc/registry';
import type { AiService } from './service';

export function aiHandlers(ai: () => AiService): HandlersFor<typeof aiMethods> {
  return {
    'providers.list': () => ai().list(),
    'providers.update': ({ provider, config }) => ai().update(provider, config),
    'providers.setKey': ({ provider, apiKey }) => ai().setKey(provider, apiKey),
    'providers.clearKey': ({ provider }) => ai().clearKey(provider),
    'providers.test': ({ provider }) => ai().test(provider),
    'routing.get': () => ai().config.routing(),
    'routing.set': (policy) => ai().config.setRouting(policy),
    'ai.complete': (request) => ai().complete(request),
    'metrics.orchestrator': () => ai().metricsView(),
  };
}
