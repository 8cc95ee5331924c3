import type { Db } from '../db/open';
import { keychainService } from '../paths';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { resolveDataKey } from './data-key';
import { dataKeyService, type Keychain, osKeychain } from './keychain';
import { type LegacyKeytar, loadKeytar } from './legacy/keytar';
import type { LegacySafeStorageDecryptor } from './legacy/safe-storage';
import { type MigrationContext, migrateKeytar, migrateLegacyFile, migrateSafeStorage, reportUnreadable, retireKeyFile } from './migrate';
import { createSecretStore, secretRows } from './store';
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

/**
 * The one secret store both hosts use, over the database's `secrets` table. Opening resolves
 * the data key (OS keychain, else a key file flagged weaker), then brings in, once, whatever
 * the earlier stores hold and removes their copies. Never throws for a missing or damaged key
 * or an unreadable old copy: those are logged by name and the secrets concerned read as errors.
 */
export async function openSecretStore(options: OpenSecretStoreOptions): Promise<SecretStore> {
  const { db, dataDir, logger } = options;
  const keychain = options.keychain === undefined ? await osKeychain(dataKeyService(dataDir)) : options.keychain;
  const resolved = await resolveDataKey(db, dataDir, keychain);
  const rows = secretRows(db, options.clock);

  if (resolved.kind === 'key-file') {
    logger.warn('secrets: the data key is kept in a file in the data folder, which is weaker protection than the OS keychain', {
      store: 'key-file',
      dataDir,
      reason: resolved.fallbackReason,
    });
  }
  if (resolved.key instanceof SecretStoreError) {
    logger.error('secrets: the data key cannot be used; stored secrets read as not set until it is restored', { reason: resolved.key.message });
    return createSecretStore(rows, resolved.kind, resolved.key);
  }

  const ctx: MigrationContext = { db, rows, key: resolved.key, dataDir, logger };
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
  reportUnreadable(rows, resolved.key, logger);
  return createSecretStore(rows, resolved.kind, resolved.key);
}
