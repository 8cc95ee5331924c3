import type { accountsMethods } from '../../shared/contract/accounts';
import type { sendingMethods } from '../../shared/contract/sending';
import { AppError } from '../../shared/result';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import type { Profile } from '../profiles/profile';
import { secretWrite } from '../secrets/handler-errors';
import type { OnlyFansFault } from './sandbox/server';
import type { Messaging } from './wiring';

export type { Messaging } from './wiring';

/** The active profile's messaging: switching Sandbox mode switches which database (and queue) answers. */
export function messagingFor(options: { active: () => Profile }): () => Messaging {
  return () => options.active().messaging;
}

export function messagingHandlers(messaging: () => Messaging, events: EventBus): HandlersFor<typeof accountsMethods> {
  /** The queue learns new limits, transports and removed accounts before the change is announced. */
  const changed = async (m: Messaging, id: string) => {
    await m.queue.refreshAccounts();
    events.emit('accounts.changed', { id });
  };
  return {
    'accounts.list': () => messaging().accounts.list(),
    'accounts.create': async (input) => {
      const m = messaging();
      const account = await secretWrite(() => m.accounts.create(input));
      await changed(m, account.id);
      return account;
    },
    'accounts.update': async (input) => {
      const m = messaging();
      const account = await secretWrite(() => m.accounts.update(input));
      await changed(m, account.id);
      return account;
    },
    'accounts.remove': async ({ id }) => {
      const m = messaging();
      const done = await secretWrite(() => m.accounts.remove(id));
      await changed(m, id);
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

const FAULTS: Record<'rate_limit' | 'server_error' | 'timeout' | 'accept_then_drop', OnlyFansFault> = {
  rate_limit: { kind: 'rate_limit' },
  server_error: { kind: 'server_error' },
  timeout: { kind: 'timeout' },
  accept_then_drop: { kind: 'accept_then_drop' },
};

function sandboxServer(m: Messaging) {
  if (!m.onlyFansSandbox) throw new AppError('conflict', 'sandbox_only');
  return m.onlyFansSandbox;
}

/** Sending through the active profile's queue; `sends.progress` and `queue.changed` come from the queue's hooks (services). */
export function sendingHandlers(messaging: () => Messaging): HandlersFor<typeof sendingMethods> {
  const queue = () => messaging().queue;
  return {
    'onlyfans.sendMessage': (input) => queue().enqueue(input),
    'onlyfans.stats': ({ accountId }) => queue().stats(accountId),
    'sends.list': (query) => queue().list(query),
    'queue.pause': (scope) => ({ affected: queue().pause(scope) }),
    'queue.resume': (scope) => ({ affected: queue().resume(scope) }),
    'queue.cancel': (scope) => ({ affected: queue().cancel(scope) }),
    'queue.pauseAll': () => queue().pauseAll(),
    'queue.resumeAll': () => queue().resumeAll(),
    'sends.retry': ({ id }) => queue().retry(id),
    'sends.resolve': ({ id, as }) => queue().resolve(id, as),
    'sends.export': ({ accountId, format, limit }) => queue().exportPending(accountId, format, limit),
    'sends.confirm': ({ ids, sent }) => ({ affected: queue().confirm(ids, sent) }),
    'sandbox.sendFault': async ({ accountId, fault, standing }) => {
      const m = messaging();
      const server = sandboxServer(m);
      const { platformAccountId } = await m.accounts.get(accountId);
      if (fault === null) server.setStandingFault(platformAccountId, null);
      else if (standing) server.setStandingFault(platformAccountId, FAULTS[fault]);
      else server.script(platformAccountId, [FAULTS[fault]]);
      return { ok: true as const };
    },
    'sandbox.sendReport': () => {
      const server = sandboxServer(messaging());
      return { received: server.allMessages().length, violations: server.violations().length, url: server.url };
    },
  };
}
