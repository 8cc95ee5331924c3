import type { EventBus } from '../ipc/events';
import type { Registry } from '../ipc/registry';

/**
 * What a host needs of the core to serve windows: the contract's calls and its events. The
 * in-process services and the remote core process both have this shape.
 */
export interface CoreApi {
  registry: Registry;
  events: Pick<EventBus, 'subscribe'>;
}
