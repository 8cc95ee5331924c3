/**
 * The composition root. Both hosts (the Electron shell and the browser host) build the core
 * through this one function and only differ in how they carry the contract.
 */
import { join } from 'node:path';
import pkg from '../package.json';
import type { AppInfo } from '../shared/contract';
import { type Db, openDatabase } from './db/open';
import { getHealth } from './health/health';
import { EventBus } from './ipc/events';
import { createRegistry, type Registry } from './ipc/registry';
import { DB_FILE } from './paths';
import { type Clock, systemClock } from './ports/clock';
import { consoleLogger, type Logger } from './ports/logger';
import { SettingsStore } from './settings/store';

export interface ServicesOptions {
  dataDir: string;
  host: AppInfo['host'];
  clock?: Clock;
  logger?: Logger;
  nativeBinding?: string;
}

export interface Services {
  registry: Registry;
  events: EventBus;
  db: Db;
  dbPath: string;
  close(): void;
}

export const APP = { name: pkg.name, productName: pkg.productName, version: pkg.version } as const;

export function createServices(options: ServicesOptions): Services {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger();
  const startedAt = clock.monotonic();
  const dbPath = join(options.dataDir, DB_FILE);
  const db = openDatabase(dbPath, { nativeBinding: options.nativeBinding });
  const events = new EventBus();
  const settings = new SettingsStore(db, clock, logger);

  const registry = createRegistry(
    {
      'app.info': () => ({ ...APP, host: options.host, platform: process.platform }),
      'health.get': () =>
        getHealth({ db, dbPath, dataDir: options.dataDir, appVersion: APP.version, uptimeMs: () => clock.monotonic() - startedAt }),
      'settings.get': () => settings.get(),
      'settings.update': (patch) => {
        const next = settings.update(patch);
        events.emit('settings.changed', next);
        return next;
      },
    },
    logger,
  );

  return {
    registry,
    events,
    db,
    dbPath,
    close() {
      if (db.open) db.close();
    },
  };
}
