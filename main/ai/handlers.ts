import type { ProviderId } from '../../shared/ai';
import type { aiMethods } from '../../shared/contract/ai';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import { deltaStream } from './delta-stream';
import type { AiService } from './service';

// A change is announced only once it has succeeded, so other windows never refetch a failed edit.
export function aiHandlers(ai: () => AiService, events: EventBus): HandlersFor<typeof aiMethods> {
  const changed = <T>(provider: ProviderId, value: T): T => {
    events.emit('providers.changed', { provider });
    return value;
  };
  return {
    'providers.list': () => ai().list(),
    'providers.update': async ({ provider, config, apiKey, confirmPrice }) => changed(provider, await ai().update(provider, config, { apiKey, confirmPrice })),
    'providers.setKey': async ({ provider, apiKey }) => changed(provider, await ai().setKey(provider, apiKey)),
    'providers.clearKey': async ({ provider }) => changed(provider, await ai().clearKey(provider)),
    'providers.test': ({ provider, draft }) => ai().test(provider, draft),
    'routing.get': () => ai().config.routing(),
    'routing.set': (policy) => {
      const next = ai().config.setRouting(policy);
      events.emit('routing.changed', next);
      return next;
    },
    'ai.complete': async (request) => {
      const stream = request.stream && request.streamId ? deltaStream(events, request.streamId) : null;
      try {
        return await ai().complete(request, undefined, stream?.push);
      } finally {
        stream?.close();
      }
    },
    'metrics.orchestrator': () => ai().metricsView(),
  };
}
