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

/**
 * The core with a part of the contract the host answers itself (the Electron shell holds the
 * updater): those methods go to `local`, the rest to the core, and windows hear both's events.
 */
export function withHostAnswers(core: CoreApi, local: CoreApi & { methods: ReadonlySet<string> }): CoreApi {
  return {
    registry: {
      dispatch: (method, input) => (typeof method === 'string' && local.methods.has(method) ? local.registry : core.registry).dispatch(method, input),
    },
    events: {
      subscribe(listener) {
        const offs = [core.events.subscribe(listener), local.events.subscribe(listener)];
        return () => offs.forEach((off) => off());
      },
    },
  };
}
