import { safeStorage } from 'electron';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import { assertSecretName, assertSecretValue, type SecretStore, SecretStoreError } from '../secrets/types';

/**
 * Secrets encrypted by Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet) with only the
 * ciphertext in the SQLite `secrets` table. Create it after `app` is ready: before that the
 * encryptor cannot start.
 */
export function createSafeStorageStore(db: Db, clock: Clock): SecretStore {
  const select = db.prepare<[string], { ciphertext: Buffer }>('SELECT ciphertext FROM secrets WHERE name = ?');
  const exists = db.prepare<[string], { found: 1 }>('SELECT 1 AS found FROM secrets WHERE name = ?');
  const upsert = db.prepare<[string, Buffer, number]>(
    `INSERT INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
  );
  // Only replaces the ciphertext that was read, so a re-encryption never undoes a concurrent set.
  const reEncrypt = db.prepare<[Buffer, number, string, Buffer]>(
    'UPDATE secrets SET ciphertext = ?, updated_at = ? WHERE name = ? AND ciphertext = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM secrets WHERE name = ?');

  async function encryptor(): Promise<void> {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) {
      throw new SecretStoreError('unavailable', 'The operating system offers no encryption for secrets right now.');
    }
  }

  async function encrypt(name: string, value: string): Promise<Buffer> {
    await encryptor();
    try {
      return await safeStorage.encryptStringAsync(value);
    } catch (err) {
      throw new SecretStoreError('unavailable', `The secret "${name}" could not be encrypted: ${(err as Error).message}`);
    }
  }

  return {
    kind: 'electron-safe-storage',
    // Linux without a keyring falls back to a hard-coded password: obfuscation, not protection.
    get weaker() {
      return process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
    },
    async get(name) {
      assertSecretName(name);
      const row = select.get(name);
      if (!row) return undefined;
      await encryptor();
      let decrypted: Electron.DecryptStringAsyncReturnValue;
      try {
        decrypted = await safeStorage.decryptStringAsync(row.ciphertext);
      } catch {
        throw new SecretStoreError('corrupt', `The stored secret "${name}" cannot be decrypted (damaged, or encrypted under another OS account or keychain).`);
      }
      if (decrypted.shouldReEncrypt) {
        try {
          reEncrypt.run(await encrypt(name, decrypted.result), clock.now(), name, row.ciphertext);
        } catch {
          // The old ciphertext still decrypts; the next read tries again.
        }
      }
      return decrypted.result;
    },
    async set(name, value) {
      assertSecretName(name);
      assertSecretValue(name, value);
      upsert.run(name, await encrypt(name, value), clock.now());
    },
    async delete(name) {
      assertSecretName(name);
      remove.run(name);
    },
    async has(name) {
      assertSecretName(name);
      return exists.get(name) !== undefined;
    },
  };
}
