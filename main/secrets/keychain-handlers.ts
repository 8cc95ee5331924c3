import type { keychainMethods, KeychainStatus } from '../../shared/contract/keychain';
import type { Db } from '../db/open';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import type { Clock } from '../ports/clock';
import type { ManagedSecretStore } from './index';
import { KeychainNotice } from './notice';

export interface KeychainHandlerDeps {
  secrets: ManagedSecretStore;
  /** The live database: the acknowledgement belongs to the seat, like the other settings. */
  db: Db;
  clock: Clock;
  events: EventBus;
  /** The core's OS; tests pass another to check the wording each one gets. */
  platform?: NodeJS.Platform;
}

const platformOf = (p: NodeJS.Platform): KeychainStatus['platform'] => (p === 'darwin' || p === 'win32' || p === 'linux' ? p : 'other');

export function keychainHandlers({ secrets, db, clock, events, platform = process.platform }: KeychainHandlerDeps): HandlersFor<typeof keychainMethods> {
  const notice = new KeychainNotice(db, clock);
  const status = (): KeychainStatus => ({ state: secrets.state, platform: platformOf(platform), notice: notice.due(secrets.state) });
  const changed = () => {
    const next = status();
    events.emit('keychain.changed', next);
    return next;
  };
  return {
    'keychain.status': () => status(),
    'keychain.acknowledge': () => {
      notice.acknowledge(secrets.state);
      return changed();
    },
    'keychain.retry': async () => {
      await secrets.retryKeychain();
      return changed();
    },
  };
}
