import type { syncMethods } from '../../shared/contract/sync';
import type { TeamAws } from '../aws/clients';
import type { Db } from '../db/open';
import type { EventBus } from '../ipc/events';
import { Coalesced } from '../ipc/coalesce';
import type { HandlersFor } from '../ipc/registry';
import type { Ledger } from '../ledger/ledger';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { AlertSync } from './alert-sync';
import { LedgerSync } from './ledger-sync';

export { LedgerSync } from './ledger-sync';
export { SYNC_BACKOFF } from './waiting';
export { AlertSync } from './alert-sync';
export { SEAT_ALERT_TOPIC } from './alert-topic';

/** How often at most `sync.changed` goes out, whatever the number of rows or passes. */
const CHANGED_EVERY_MS = 1_000;

export interface TeamSyncDeps {
  liveDb: Db;
  liveLedger: () => Ledger;
  teamAws: TeamAws;
  operator: () => string;
  wake: () => void;
  events: EventBus;
  clock: Clock;
  logger: Logger;
}

/** The live ledger's sync as the composition root wires it: the consumer, its handlers, its close. */
export function teamSyncFor(deps: TeamSyncDeps) {
  let changed: Coalesced<true> | null = null;
  const alerts = new AlertSync({
    db: deps.liveDb,
    connect: () => deps.teamAws.connect(),
    operator: deps.operator,
    clock: deps.clock,
    logger: deps.logger,
    wake: deps.wake,
  });
  const sync = new LedgerSync({
    db: deps.liveDb,
    ledger: deps.liveLedger,
    connect: () => deps.teamAws.connect(),
    enabled: () => deps.teamAws.store.get().enabled,
    operator: deps.operator,
    clock: deps.clock,
    logger: deps.logger,
    onChanged: () => changed?.push(true),
    wake: deps.wake,
    alsoWaiting: () => alerts.backlog(),
  });
  changed = new Coalesced<true>(CHANGED_EVERY_MS, () => true, () => deps.events.emit('sync.changed', sync.status()));
  const handlers: HandlersFor<typeof syncMethods> = {
    'sync.status': () => sync.status(),
    'sync.now': () => {
      alerts.now();
      return sync.now();
    },
  };
  return { sync, alerts, consumer: sync.consumer(), alertConsumer: alerts.consumer(), handlers, close: () => changed?.close() };
}
