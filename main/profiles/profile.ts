import { join } from 'node:path';
import { AiService, type AiServiceOptions } from '../ai/service';
import { CostQueries } from '../costs/queries';
import { type Db, openDatabase } from '../db/open';
import { seedDemoCreators } from '../demo/creators';
import type { LedgerOptions } from '../ledger/ledger';
import { type Messaging, openMessaging, type SendingHooks, startOnlyFansForSandbox } from '../messaging/wiring';
import { createOutbox, type Outbox, type OutboxConsumer, type OutboxRelay, type RelayOptions } from '../outbox';
import { DB_FILE, SANDBOX_DB_FILE } from '../paths';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { RequestLogOptions } from '../requests/log';
import type { SecretStore } from '../secrets';

export type ProfileName = 'live' | 'sandbox';

/**
 * One profile's data and state: its own database file, ledger, provider settings, breakers and
 * metrics. Live and Sandbox are kept apart as a payment platform keeps test mode apart.
 */
export interface Profile {
  name: ProfileName;
  db: Db;
  dbPath: string;
  ai: AiService;
  /** What this profile owes the outside world (sync, alerts, sends); the Sandbox profile's never leaves it. */
  outbox: Outbox;
  /** Delivers this profile's outbox to its consumers; stopped before the database closes. */
  relay: OutboxRelay;
  /** Spend questions answered from this profile's rollups, in the agency's zone. */
  costs: CostQueries;
  /** Creator accounts, restricted words, the rate limiter and the send queue (started at open, stopped at close). */
  messaging: Messaging;
  close(): Promise<void>;
}

export interface ProfileOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  nativeBinding?: string;
  ai?: Pick<AiServiceOptions, 'breaker' | 'sleep' | 'random' | 'maxRetryWaitMs'>;
  /** Who consumes each profile's outbox (the live profile's alert channels; the Sandbox's OS notifications only). */
  consumers?: (profile: ProfileName) => readonly OutboxConsumer<unknown>[];
  relay?: RelayOptions;
  /** Where each profile's budget alerts go (its enabled channels) and who hears that one fired. */
  budgets?: (profile: ProfileName) => AiServiceOptions['budgets'];
  /** Read at each open: the zone now configured and the hooks announcing commits and rebuilds. */
  ledger?: () => LedgerOptions;
  /** Who hears that a profile's circuit changed state. */
  onCircuit?: AiServiceOptions['onCircuit'];
  /** Who hears that a profile's request log grew. */
  requestLog?: RequestLogOptions;
  /** The operator (the limiter's operator layer) and who hears about each profile's sends. */
  sending?: (profile: ProfileName) => SendingHooks;
  /** The team's hard stops for the live profile's orchestrator; the Sandbox never gets them. */
  liveTeamStops?: AiServiceOptions['team'];
}

/** Runs only when someone consumes: a relay with no topics would poll for nothing. */
function startRelay(outbox: Outbox, options: ProfileOptions, name: ProfileName): OutboxRelay {
  const consumers = options.consumers?.(name) ?? [];
  const relay = outbox.relay(consumers, options.relay);
  if (consumers.length > 0) relay.start();
  return relay;
}

export function openLiveProfile(options: ProfileOptions, secrets: SecretStore, db?: Db): Profile {
  const dbPath = join(options.dataDir, DB_FILE);
  const live = db ?? openDatabase(dbPath, { nativeBinding: options.nativeBinding });
  const outbox = createOutbox({ db: live, clock: options.clock, logger: options.logger });
  const ai = new AiService({ db: live, clock: options.clock, logger: options.logger, mode: { kind: 'live', secrets }, outbox, ledger: options.ledger?.(), budgets: options.budgets?.('live'), onCircuit: options.onCircuit, requestLog: options.requestLog, team: options.liveTeamStops, ...options.ai });
  const relay = startRelay(outbox, options, 'live');
  const messaging = openMessaging({ db: live, clock: options.clock, logger: options.logger, secrets, onlyFansSandbox: null, ...options.sending?.('live') });
  return {
    name: 'live',
    db: live,
    dbPath,
    ai,
    outbox,
    relay,
    costs: new CostQueries(live, options.clock, ai.ledger),
    messaging,
    async close() {
      // First: a send in flight records its outcome while the file is still open.
      await messaging.close();
      await ai.close();
      // After the AI calls (they may still enqueue), before the file closes under a delivery being recorded.
      await relay.stop();
      if (live.open) live.close();
    },
  };
}

/** Opens the Sandbox profile's database and starts its loopback provider server. */
export async function openSandboxProfile(options: ProfileOptions): Promise<Profile> {
  const dbPath = join(options.dataDir, SANDBOX_DB_FILE);
  const db = openDatabase(dbPath, { nativeBinding: options.nativeBinding });
  let server;
  let onlyFans;
  try {
    // Loaded on demand: the sandbox and its tokenizer are not part of a live start.
    const { startSandbox } = await import('../sandbox/server');
    server = await startSandbox({ clock: options.clock });
    onlyFans = await startOnlyFansForSandbox(options.clock).catch(async (err: unknown) => {
      await server!.close();
      throw err;
    });
  } catch (err) {
    db.close();
    throw err;
  }
  const outbox = createOutbox({ db, clock: options.clock, logger: options.logger });
  const ai = new AiService({ db, clock: options.clock, logger: options.logger, mode: { kind: 'sandbox', server }, outbox, ledger: options.ledger?.(), budgets: options.budgets?.('sandbox'), onCircuit: options.onCircuit, requestLog: options.requestLog, ...options.ai });
  const relay = startRelay(outbox, options, 'sandbox');
  const messaging = openMessaging({ db, clock: options.clock, logger: options.logger, secrets: null, onlyFansSandbox: onlyFans, ...options.sending?.('sandbox') });
  try {
    if (await seedDemoCreators(messaging.accounts)) await messaging.queue.refreshAccounts();
  } catch (err) {
    // The Sandbox still opens; the operator can add creators by hand.
    options.logger.warn('sandbox: demo creators not added', { error: String(err) });
  }
  options.logger.info('sandbox profile open: AI calls and sends go to loopback sandboxes', { url: server.url, onlyFans: onlyFans.server.url });
  return {
    name: 'sandbox',
    db,
    dbPath,
    ai,
    outbox,
    relay,
    costs: new CostQueries(db, options.clock, ai.ledger),
    messaging,
    async close() {
      await messaging.close();
      await ai.close();
      await relay.stop();
      await onlyFans.server.close();
      await server.close();
      if (db.open) db.close();
    },
  };
}
