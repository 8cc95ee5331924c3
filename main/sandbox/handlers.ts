import type { sandboxMethods } from '../../shared/contract/sandbox';
import type { AiService } from '../ai/service';
import type { HandlersFor } from '../ipc/registry';

export function sandboxHandlers(ai: () => AiService): HandlersFor<typeof sandboxMethods> {
  return {
    'sandbox.state': () => ai().sandboxState(),
    'sandbox.setFault': ({ target, fault }) => ai().setSandboxFault(target, fault),
  };
}
