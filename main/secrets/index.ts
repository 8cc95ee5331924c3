import type { Db } from '../db/open';
import { keychainService } from '../paths';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { type ResolvedKey, resolveDataKey } from './data-key';
import type { DataKey } from './format';
import { dataKeyService, type Keychain, osKeychain } from './keychain';
import { type LegacyKeytar, loadKeytar } from './legacy/keytar';
import type { LegacySafeStorageDecryptor } from './legacy/safe-storage';
import { type MigrationContext, migrateKeytar, migrateLegacyFile, migrateSafeStorage, reportUnreadable, retireKeyFile } from './migrate';
import { createSecretStore, type SecretRows, secretRows } from './store';
import { type SecretStore, SecretStoreError } from './types';

export * from './types';
export { DATA_KEY_ACCOUNT, dataKeyService, type Keychain, osKeychain } from './keychain';
export { KEY_FILE } from './key-file';
export { LEGACY_KEY_FILE, LEGACY_SECRETS_FILE } from './legacy/encrypted-file';
export type { LegacyKeytar } from './legacy/keytar';
export type { LegacySafeStorageDecryptor, LegacySafeStorageReply, LegacySafeStorageRow } from './legacy/safe-storage';

export interface OpenSecretStoreOptions {
  db: Db;
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /**
   * Where the data key lives: by default this data folder's entry in the OS keychain (see
   * `dataKeyService`); null for none. Tests pass one that throws to exercise the key file.
   */
  keychain?: Keychain | null;
  legacy?: {
    /** The Electron shell's hand-over of rows its former safeStorage store wrote. */
    safeStorage?: LegacySafeStorageDecryptor;
    /** Reads the former browser host's keytar entries; lazily imports keytar by default, null skips. */
    keytar?: (() => Promise<LegacyKeytar | null>) | null;
  };
}

/** Where the data key is now: `unusable` is a damaged keychain entry or key file (the log says which). */
export type KeychainState = 'keychain' | 'key-file' | 'locked' | 'unusable';

export interface ManagedSecretStore extends SecretStore {
  readonly state: KeychainState;
  /**
   * Asks the keychain again without a restart, when the key is in a file or the keychain was
   * locked: if it answers now, rows sealed under the file move under its key and the file goes.
   */
  retryKeychain(): Promise<KeychainState>;
}

export function stateOf(resolved: Pick<ResolvedKey, 'kind' | 'key'>): KeychainState {
  if (resolved.key instanceof SecretStoreError) return resolved.key.code === 'locked' ? 'locked' : 'unusable';
  return resolved.kind === 'os-keychain' ? 'keychain' : 'key-file';
}

function report(resolved: ResolvedKey, dataDir: string, logger: Logger): void {
  if (resolved.kind === 'key-file') {
    logger.warn('secrets: the data key is kept in a file in the data folder, which is weaker protection than the OS keychain', {
      store: 'key-file',
      dataDir,
      reason: resolved.fallbackReason,
    });
  }
  if (resolved.key instanceof SecretStoreError && resolved.key.code === 'locked') {
    logger.warn('secrets: the OS keychain is locked; stored secrets read as not set until it is unlocked and Try again is pressed', { reason: resolved.key.message });
  } else if (resolved.key instanceof SecretStoreError) {
    logger.error('secrets: the data key cannot be used; stored secrets read as not set until it is restored', { reason: resolved.key.message });
  }
}

/** Brings in, once, what the earlier stores and a retired key file hold, under the usable key. */
async function migrateInto(options: OpenSecretStoreOptions, rows: SecretRows, resolved: ResolvedKey, key: DataKey): Promise<void> {
  const { db, dataDir, logger } = options;
  const ctx: MigrationContext = { db, rows, key, dataDir, logger };
  const steps: Array<[string, () => Promise<void>]> = [];
  if (resolved.retired) steps.push(['key file', () => retireKeyFile(ctx, resolved.retired!)]);
  if (options.legacy?.safeStorage) steps.push(['safeStorage', () => migrateSafeStorage(ctx, options.legacy!.safeStorage!)]);
  // keytar talks to the same keychain: where that did not answer, its entries wait for a later start.
  const keytar = options.legacy?.keytar === undefined ? loadKeytar : options.legacy.keytar;
  if (resolved.kind === 'os-keychain' && keytar) steps.push(['keytar', () => migrateKeytar(ctx, keytar, keychainService(dataDir))]);
  steps.push(['encrypted file', () => migrateLegacyFile(ctx)]);
  for (const [source, step] of steps) {
    try {
      await step();
    } catch (err) {
      // Copies are removed only after their import committed, so a failed step loses nothing.
      logger.error('secrets: migrating an earlier store failed; its copies were kept', { source, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  reportUnreadable(rows, key, logger);
}

/**
 * The one secret store both hosts use, over the database's `secrets` table. Opening resolves
 * the data key (OS keychain, else a key file flagged weaker), then brings in, once, whatever
 * the earlier stores hold and removes their copies. Never throws for a missing, locked or damaged
 * key or an unreadable old copy: those are logged by name and the secrets concerned read as errors.
 */
export async function openSecretStore(options: OpenSecretStoreOptions): Promise<ManagedSecretStore> {
  const { db, dataDir, logger } = options;
  const keychain = options.keychain === undefined ? await osKeychain(dataKeyService(dataDir)) : options.keychain;
  const rows = secretRows(db, options.clock);
  let resolved = await resolveDataKey(db, dataDir, keychain);
  report(resolved, dataDir, logger);
  const store = createSecretStore(rows, resolved);
  if (!(resolved.key instanceof SecretStoreError)) await migrateInto(options, rows, resolved, resolved.key);

  const retry = async (): Promise<KeychainState> => {
    if (!keychain || stateOf(resolved) === 'keychain') return stateOf(resolved);
    const next = await resolveDataKey(db, dataDir, keychain, { mayCreateKeyFile: stateOf(resolved) !== 'locked' });
    if (stateOf(next) === stateOf(resolved) && next.kind === resolved.kind) return stateOf(resolved);
    report(next, dataDir, logger);
    resolved = next;
    // The new key first: a secret saved while older rows are being re-sealed must not land under the file's.
    store.useKey(next);
    if (!(next.key instanceof SecretStoreError)) await migrateInto(options, rows, next, next.key);
    store.announceKey();
    return stateOf(next);
  };
  // Two windows pressing Try again at once ask the keychain once each, one after the other.
  let retrying: Promise<KeychainState> = Promise.resolve(stateOf(resolved));
  const retryKeychain = () => {
    retrying = retrying.catch(() => stateOf(resolved)).then(retry);
    return retrying;
  };
  return {
    get kind() {
      return store.kind;
    },
    get weaker() {
      return store.weaker;
    },
    get state() {
      return stateOf(resolved);
    },
    get: store.get,
    set: store.set,
    delete: store.delete,
    has: store.has,
    onKeyChanged: store.onKeyChanged,
    retryKeychain,
  };
}
