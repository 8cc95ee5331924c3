import { join } from 'node:path';
import { AiService, type AiServiceOptions } from '../ai/service';
import { CostQueries } from '../costs/queries';
import { type Db, openDatabase } from '../db/open';
import type { LedgerOptions } from '../ledger/ledger';
import { createOutbox, type Outbox } from '../outbox';
import { DB_FILE, SANDBOX_DB_FILE } from '../paths';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
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
  /** Spend questions answered from this profile's rollups, in the agency's zone. */
  costs: CostQueries;
  close(): Promise<void>;
}

export interface ProfileOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  nativeBinding?: string;
  ai?: Pick<AiServiceOptions, 'breaker' | 'sleep' | 'random' | 'maxRetryWaitMs'>;
  /** Read at each open: the zone now configured and the hooks announcing commits and rebuilds. */
  ledger?: () => LedgerOptions;
}

export function openLiveProfile(options: ProfileOptions, secrets: SecretStore, db?: Db): Profile {
  const dbPath = join(options.dataDir, DB_FILE);
  const live = db ?? openDatabase(dbPath, { nativeBinding: options.nativeBinding });
  const outbox = createOutbox({ db: live, clock: options.clock, logger: options.logger });
  const ai = new AiService({ db: live, clock: options.clock, logger: options.logger, mode: { kind: 'live', secrets }, outbox, ledger: options.ledger?.(), ...options.ai });
  return {
    name: 'live',
    db: live,
    dbPath,
    ai,
    outbox,
    costs: new CostQueries(live, options.clock, ai.ledger),
    async close() {
      await ai.close();
      if (live.open) live.close();
    },
  };
}

/** Opens the Sandbox profile's database and starts its loopback provider server. */
export async function openSandboxProfile(options: ProfileOptions): Promise<Profile> {
  const dbPath = join(options.dataDir, SANDBOX_DB_FILE);
  const db = openDatabase(dbPath, { nativeBinding: options.nativeBinding });
  let server;
  try {
    // Loaded on demand: the sandbox and its tokenizer are not part of a live start.
    const { startSandbox } = await import('../sandbox/server');
    server = await startSandbox({ clock: options.clock });
  } catch (err) {
    db.close();
    throw err;
  }
  const outbox = createOutbox({ db, clock: options.clock, logger: options.logger });
  const ai = new AiService({ db, clock: options.clock, logger: options.logger, mode: { kind: 'sandbox', server }, outbox, ledger: options.ledger?.(), ...options.ai });
  options.logger.info('sandbox profile open: AI calls go to the loopback sandbox', { url: server.url });
  return {
    name: 'sandbox',
    db,
    dbPath,
    ai,
    outbox,
    costs: new CostQueries(db, options.clock, ai.ledger),
    async close() {
      await ai.close();
      await server.close();
      if (db.open) db.close();
    },
  };
}
