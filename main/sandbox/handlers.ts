import type { sandboxMethods } from '../../shared/contract/sandbox';
import type { AiService } from '../ai/service';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';

export function sandboxHandlers(ai: () => AiService, events: EventBus): HandlersFor<typeof sandboxMethods> {
  return {
    'sandbox.state': () => ai().sandboxState(),
    'sandbox.setFault': ({ target, fault }) => {
      const state = ai().setSandboxFault(target, fault);
      events.emit('sandbox.changed', state);
      return state;
    },
  };
}
