import type { requestsMethods } from '../../shared/contract/requests';
import type { HandlersFor } from '../ipc/registry';
import type { RequestQueries } from './queries';

/** The active profile's request log: switching Sandbox mode switches which database answers. */
export function requestsHandlers(queries: () => RequestQueries): HandlersFor<typeof requestsMethods> {
  return {
    'requests.list': (input) => queries().list(input),
    'requests.get': ({ id }) => queries().get(id),
  };
}
