import type { accountsMethods } from '../../shared/contract/accounts';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Profile } from '../profiles/profile';
import type { SecretStore } from '../secrets';
import { secretWrite } from '../secrets/handler-errors';
import { Accounts } from './accounts';
import { RestrictedWords } from './restricted';

/** One profile's messaging state: what the send path will use too. */
export interface Messaging {
  accounts: Accounts;
  restricted: RestrictedWords;
}

export interface MessagingOptions {
  /** The active profile: switching Sandbox mode switches which database answers. */
  active: () => Profile;
  /** The live SecretStore; Sandbox accounts get none (no real keys in test mode). */
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
}

/** Built once per opened profile, so the restricted list is read once and then served from memory. */
export function messagingFor(options: MessagingOptions): () => Messaging {
  const built = new WeakMap<Profile, Messaging>();
  return () => {
    const profile = options.active();
    let m = built.get(profile);
    if (!m) {
      const sandbox = profile.name === 'sandbox';
      m = {
        accounts: new Accounts({
          db: profile.db,
          clock: options.clock,
          logger: options.logger,
          secrets: sandbox ? null : options.secrets,
          defaultTransport: sandbox ? 'sandbox' : 'export',
        }),
        restricted: new RestrictedWords(profile.db, options.clock),
      };
      built.set(profile, m);
    }
    return m;
  };
}

export function messagingHandlers(messaging: () => Messaging, events: EventBus): HandlersFor<typeof accountsMethods> {
  return {
    'accounts.list': () => messaging().accounts.list(),
    'accounts.create': async (input) => {
      const account = await secretWrite(() => messaging().accounts.create(input));
      events.emit('accounts.changed', { id: account.id });
      return account;
    },
    'accounts.update': async (input) => {
      const account = await secretWrite(() => messaging().accounts.update(input));
      events.emit('accounts.changed', { id: account.id });
      return account;
    },
    'accounts.remove': async ({ id }) => {
      const done = await secretWrite(() => messaging().accounts.remove(id));
      events.emit('accounts.changed', { id });
      return done;
    },
    'restricted.get': () => messaging().restricted.get(),
    'restricted.set': ({ words }) => {
      const list = messaging().restricted.set(words);
      events.emit('restricted.changed', list);
      return list;
    },
  };
}
