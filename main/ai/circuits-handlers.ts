import type { circuitsMethods } from '../../shared/contract/circuits';
import type { HandlersFor } from '../ipc/registry';
import type { AiService } from './service';

// The reset itself announces `circuits.changed` through the breakers, so no event is sent here.
export function circuitsHandlers(ai: () => AiService, operatorName: () => string): HandlersFor<typeof circuitsMethods> {
  return {
    'circuits.reset': ({ provider }) => ai().resetCircuit(provider, operatorName()),
  };
}
