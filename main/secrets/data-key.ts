import type { Db } from '../db/open';
import { DATA_KEY_BYTES, type DataKey, dataKey, newDataKey } from './format';
import { readKeyFile, readOrCreateKeyFile } from './key-file';
import type { Keychain } from './keychain';
import { classifyKeychainFailure, type KeychainFailure } from './keychain-errors';
import { type SecretStoreKind, SecretStoreError } from './types';

export interface ResolvedKey {
  kind: SecretStoreKind;
  /** A typed error when the key exists but cannot be used: every read and write then reports it. */
  key: DataKey | SecretStoreError;
  /** Why the keychain was not used, when it was not. */
  fallbackReason?: string;
  /** The key file's key, when the keychain now holds the data key: rows under it get re-sealed. */
  retired?: DataKey | SecretStoreError;
}

/** A keychain call that failed: absent falls back to the key file; locked waits for the operator. */
class KeychainSilent extends Error {
  readonly failure: KeychainFailure;
  constructor(message: string, failure: KeychainFailure = classifyKeychainFailure(message)) {
    super(message);
    this.failure = failure;
  }
}

function ask<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    throw new KeychainSilent(err instanceof Error ? err.message : String(err));
  }
}

function decode(stored: string, keychain: Keychain): DataKey {
  const bytes = Buffer.from(stored, 'base64');
  // Canonical base64 only: Node's decoder skips stray characters, hiding a damaged entry.
  if (bytes.toString('base64') !== stored || bytes.length !== DATA_KEY_BYTES) {
    throw new SecretStoreError(
      'corrupt',
      `The data key in ${keychain.description} is not a ${DATA_KEY_BYTES}-byte key. Nothing was overwritten: restore that entry, or delete it to start over and enter every secret again.`,
    );
  }
  return dataKey(bytes);
}

/**
 * The keychain's data key, created when absent. Creation runs inside an IMMEDIATE transaction:
 * both hosts share the database, so its write lock makes two hosts opening a new data folder at
 * once agree on one key instead of each writing its own and orphaning the other's secrets.
 */
function keychainKey(db: Db, keychain: Keychain): DataKey {
  const stored = ask(() => keychain.read());
  if (stored !== null) return decode(stored, keychain);
  const create = db.transaction(() => {
    const raced = ask(() => keychain.read());
    if (raced !== null) return decode(raced, keychain);
    const fresh = newDataKey();
    ask(() => keychain.write(fresh.bytes.toString('base64')));
    // A Secret Service can accept a write it does not keep (no collection to store it in).
    const back = ask(() => keychain.read());
    if (back === null) throw new KeychainSilent('it accepted the data key but does not return it', 'absent');
    return decode(back, keychain);
  });
  return create.immediate();
}

/**
 * The OS keychain when it answers, else a key file in the data folder. Only a keychain that
 * does not answer falls back; one that holds a damaged key is reported, never overwritten.
 * Falling back is safe: when the keychain answers again, rows sealed under the file's key are
 * re-sealed under the keychain's and the file is removed (see retireKeyFile). A locked keychain
 * never creates a key file: the key is a typed `locked` error until the operator unlocks it.
 */
export async function resolveDataKey(db: Db, dataDir: string, keychain: Keychain | null, options: { mayCreateKeyFile?: boolean } = {}): Promise<ResolvedKey> {
  let fallbackReason = 'no OS keychain was offered';
  if (keychain) {
    try {
      const key = keychainKey(db, keychain);
      return { kind: 'os-keychain', key, retired: await readKeyFile(dataDir) };
    } catch (err) {
      if (err instanceof SecretStoreError) return { kind: 'os-keychain', key: err };
      // Anything else (the database busy past its timeout, a bug) surfaces instead of hiding here.
      if (!(err instanceof KeychainSilent)) throw err;
      if (err.failure === 'locked') {
        // A new key file here would fork the data key: once unlocked, the keychain's key would not
        // open rows sealed under the file's. An existing file (an earlier fallback) is used as before.
        const existing = await readKeyFile(dataDir);
        const reason = `${keychain.description} is locked: ${err.message}`;
        if (existing === undefined) return { kind: 'os-keychain', key: new SecretStoreError('locked', reason), fallbackReason: reason };
        return { kind: 'key-file', key: existing, fallbackReason: reason };
      }
      fallbackReason = `${keychain.description} did not answer: ${err.message}`;
      // Asked again after it was locked, a keychain that errs otherwise (a daemon restarting as it
      // unlocks) is no proof it lost the key: no key file is made until a restart finds it absent.
      if (options.mayCreateKeyFile === false && (await readKeyFile(dataDir)) === undefined) {
        return { kind: 'os-keychain', key: new SecretStoreError('locked', fallbackReason), fallbackReason };
      }
    }
  }
  return { kind: 'key-file', key: await readOrCreateKeyFile(dataDir), fallbackReason };
}
