import { createCipheriv, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Entry } from '@napi-rs/keyring';
import { afterEach, expect } from 'vitest';
import { type Db, openDatabase } from '../../main/db/open';
import { DB_FILE } from '../../main/paths';
import { manualClock } from '../../main/ports/clock';
import type { Logger } from '../../main/ports/logger';
import {
  DATA_KEY_ACCOUNT,
  dataKeyService,
  type Keychain,
  type ManagedSecretStore,
  LEGACY_KEY_FILE,
  LEGACY_SECRETS_FILE,
  openSecretStore,
  type OpenSecretStoreOptions,
  SecretStoreError,
} from '../../main/secrets';
import { useTempDirs } from './tmp';

export const canary = () => `sk-canary-${randomBytes(12).toString('hex')}`;

export interface LogLine {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

export async function errorOf(promise: Promise<unknown>): Promise<SecretStoreError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SecretStoreError);
  return err as SecretStoreError;
}

/** Every file under dir, with its bytes. */
export function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.set(join(entry.parentPath, entry.name), readFileSync(join(entry.parentPath, entry.name)));
  }
  return out;
}

/** The data key's real keychain entry for a data folder (the throwaway one under with-keyring.sh). */
export const keychainEntry = (dataDir: string) => new Entry(dataKeyService(dataDir), DATA_KEY_ACCOUNT, { linux: { store: 'secret-service' } });

export const silentKeychain = (reason = 'no keychain on this machine'): Keychain => ({
  description: 'a keychain that does not answer',
  read: () => {
    throw new Error(reason);
  },
  write: () => {
    throw new Error(reason);
  },
});

/** What the former browser host's fallback store wrote: AES-256-GCM per entry, name as AAD. */
export function writeLegacySecretsFile(dataDir: string, values: Record<string, string>): void {
  const key = randomBytes(32);
  const entries: Record<string, { iv: string; tag: string; data: string }> = {};
  for (const [name, value] of Object.entries(values)) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    entries[name] = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }
  writeFileSync(join(dataDir, LEGACY_KEY_FILE), key, { mode: 0o600 });
  writeFileSync(join(dataDir, LEGACY_SECRETS_FILE), JSON.stringify({ version: 1, entries }, null, 2) + '\n', { mode: 0o600 });
}

export interface OpenedStore {
  store: ManagedSecretStore;
  db: Db;
  lines: LogLine[];
}

export type StoreOptions = Partial<Pick<OpenSecretStoreOptions, 'keychain' | 'legacy'>>;

/**
 * Opens stores over real SQLite files in fresh data folders; closes every database and deletes
 * every keychain entry the test made. keytar migration is off unless a test asks for it.
 */
export interface SecretStores {
  tempDir(): string;
  open(dataDir: string, options?: StoreOptions): Promise<OpenedStore>;
  /** The real OS keychain must answer: these tests run under scripts/with-keyring.sh. */
  openWithKeychain(dataDir: string, options?: StoreOptions): Promise<OpenedStore>;
  openDb(dataDir: string): Db;
}

export function useSecretStores(): SecretStores {
  const tempDir = useTempDirs();
  const dbs: Db[] = [];
  const folders = new Set<string>();
  afterEach(() => {
    for (const db of dbs.splice(0)) if (db.open) db.close();
    for (const dir of folders) {
      try {
        keychainEntry(dir).deleteCredential();
      } catch {
        // No keychain answered, so the test left nothing in it.
      }
    }
    folders.clear();
  });
  const openDb = (dataDir: string) => {
    const db = openDatabase(join(dataDir, DB_FILE));
    dbs.push(db);
    return db;
  };
  const open = async (dataDir: string, options: StoreOptions = {}): Promise<OpenedStore> => {
    folders.add(dataDir);
    const db = openDb(dataDir);
    const { logger, lines } = recordingLogger();
    const store = await openSecretStore({ db, dataDir, clock: manualClock(), logger, ...options, legacy: { keytar: null, ...options.legacy } });
    return { store, db, lines };
  };
  const openWithKeychain = async (dataDir: string, options: StoreOptions = {}): Promise<OpenedStore> => {
    const opened = await open(dataDir, options);
    expect(opened.store.kind, `no Secret Service answered (${JSON.stringify(opened.lines)}): run the tests through scripts/with-keyring.sh`).toBe('os-keychain');
    return opened;
  };
  return { tempDir, open, openWithKeychain, openDb };
}
