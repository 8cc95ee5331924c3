/**
 * The composition root. Both hosts (the Electron shell and the browser host) build the core
 * through this one function and only differ in how they carry the contract and keep secrets.
 */
import { join } from 'node:path';
import pkg from '../package.json';
import type { AppInfo } from '../shared/contract';
import type { BreakerOptions } from './ai/breakers';
import { AiService } from './ai/service';
import { type Db, openDatabase } from './db/open';
import { getHealth } from './health/health';
import { EventBus } from './ipc/events';
import { createRegistry, type Registry } from './ipc/registry';
import { createOutbox, type Outbox } from './outbox';
import { DB_FILE } from './paths';
import { type Clock, systemClock } from './ports/clock';
import { consoleLogger, type Logger } from './ports/logger';
import { createFileSecretStore, type SecretStore } from './secrets';
import { SettingsStore } from './settings/store';

export interface ServicesOptions {
  dataDir: string;
  host: AppInfo['host'];
  clock?: Clock;
  logger?: Logger;
  nativeBinding?: string;
  /**
   * The host's secret store, or a factory given the open database (Electron keeps safeStorage
   * ciphertext there); the encrypted file in the data folder when none is given.
   */
  secrets?: SecretStore | ((db: Db) => SecretStore);
  /** Tests tune these; the app uses the defaults. */
  ai?: { breaker?: BreakerOptions; sleep?: (ms: number) => Promise<void>; random?: () => number; maxRetryWaitMs?: number };
}

export interface Services {
  registry: Registry;
  events: EventBus;
  db: Db;
  dbPath: string;
  /** Writers enqueue here; no relay runs yet (consumers come with alerts, sync and sending). */
  outbox: Outbox;
  ai: AiService;
  close(): Promise<void>;
}

export const APP = { name: pkg.name, productName: pkg.productName, version: pkg.version } as const;

export async function createServices(options: ServicesOptions): Promise<Services> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger();
  const startedAt = clock.monotonic();
  const dbPath = join(options.dataDir, DB_FILE);
  const db = openDatabase(dbPath, { nativeBinding: options.nativeBinding });
  const events = new EventBus();
  const settings = new SettingsStore(db, clock, logger);
  const secrets =
    typeof options.secrets === 'function' ? options.secrets(db) : (options.secrets ?? createFileSecretStore(options.dataDir));
  const outbox = createOutbox({ db, clock, logger });
  const ai = new AiService({ db, clock, logger, secrets, outbox, ...options.ai });
  await ai.setSandboxMode(settings.get().sandboxMode);

  const registry = createRegistry(
    {
      'app.info': () => ({ ...APP, host: options.host, platform: process.platform }),
      'health.get': () =>
        getHealth({
          db,
          dbPath,
          dataDir: options.dataDir,
          appVersion: APP.version,
          uptimeMs: () => clock.monotonic() - startedAt,
          providers: () => ai.health(),
          sandboxMode: () => ai.sandboxServer !== null,
        }),
      'settings.get': () => settings.get(),
      'settings.update': async (patch) => {
        const next = settings.update(patch);
        if (patch.sandboxMode !== undefined) await ai.setSandboxMode(patch.sandboxMode);
        events.emit('settings.changed', next);
        return next;
      },
      'providers.list': () => ai.list(),
      'providers.update': ({ provider, config }) => ai.update(provider, config),
      'providers.setKey': ({ provider, apiKey }) => ai.setKey(provider, apiKey),
      'providers.clearKey': ({ provider }) => ai.clearKey(provider),
      'providers.test': ({ provider }) => ai.test(provider),
      'routing.get': () => ai.config.routing(),
      'routing.set': (policy) => ai.config.setRouting(policy),
      'ai.complete': (request) => ai.complete(request),
      'metrics.orchestrator': () => ai.metricsView(),
      'sandbox.state': () => ai.sandboxState(),
      'sandbox.setFault': ({ target, fault }) => ai.setSandboxFault(target, fault),
    },
    logger,
  );

  return {
    registry,
    events,
    db,
    dbPath,
    outbox,
    ai,
    async close() {
      await ai.close();
      if (db.open) db.close();
    },
  };
}
