import { statSync } from 'node:fs';
import type { Health } from '../../shared/contract';
import { type Db, LATEST_SCHEMA_VERSION } from '../db/open';

export interface HealthDeps {
  /** The active profile's database: the Sandbox file while Sandbox mode is on. */
  db: () => Db;
  dbPath: () => string;
  dataDir: string;
  appVersion: string;
  uptimeMs: () => number;
  providers: () => Health['providers'];
  sandboxMode: () => boolean;
}

export function getHealth(deps: HealthDeps): Health {
  const db = deps.db();
  const dbPath = deps.dbPath();
  const open = db.open;
  const schemaVersion = open ? (db.pragma('user_version', { simple: true }) as number) : -1;
  const journalMode = open ? String(db.pragma('journal_mode', { simple: true })) : 'closed';
  let sizeBytes = 0;
  try {
    sizeBytes = statSync(dbPath).size;
  } catch {
    // A file that vanished under us is reported as empty; `open` and `status` tell the rest.
  }
  const providers = deps.providers();
  // An open circuit on a provider in use means calls are failing over: the operator should know.
  const providerDown = providers.some((p) => p.enabled && p.configured && (p.circuit === 'open' || p.circuit === 'isolated'));
  return {
    status: open && schemaVersion === LATEST_SCHEMA_VERSION && !providerDown ? 'ok' : 'degraded',
    appVersion: deps.appVersion,
    uptimeMs: Math.max(0, Math.round(deps.uptimeMs())),
    dataDir: deps.dataDir,
    db: { open, path: dbPath, schemaVersion, latestSchemaVersion: LATEST_SCHEMA_VERSION, journalMode, sizeBytes },
    providers,
    sandboxMode: deps.sandboxMode(),
  };
}
