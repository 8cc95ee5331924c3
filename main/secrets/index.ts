import type { Logger } from '../ports/logger';
import { createFileSecretStore } from './file-store';
import { createKeytarStore } from './keytar-store';
import { type SecretStore, SecretStoreError } from './types';

export * from './types';
export { createFileSecretStore, KEY_FILE, SECRETS_FILE } from './file-store';
export { createKeytarStore, type KeytarApi } from './keytar-store';

export interface NodeSecretStoreOptions {
  dataDir: string;
  logger: Logger;
  preferKeychain?: boolean;
  /** How the keychain store is made; tests pass one that fails to exercise the fallback. */
  keychain?: () => Promise<SecretStore>;
}

/**
 * The store for the plain-Node host: the OS keychain when one answers, else the encrypted file
 * beside the database. Only an unavailable keychain falls back; any other failure is a bug and
 * surfaces.
 */
export async function createNodeSecretStore({
  dataDir,
  logger,
  preferKeychain = true,
  keychain = () => createKeytarStore(),
}: NodeSecretStoreOptions): Promise<SecretStore> {
  let reason = 'the OS keychain was not requested';
  if (preferKeychain) {
    try {
      return await keychain();
    } catch (err) {
      if (!(err instanceof SecretStoreError && err.code === 'unavailable')) throw err;
      reason = err.message;
    }
  }
  logger.warn('Secrets are kept in an encrypted file in the data folder, which is weaker protection than the OS keychain', {
    store: 'encrypted-file',
    dataDir,
    reason,
  });
  return createFileSecretStore(dataDir);
}
