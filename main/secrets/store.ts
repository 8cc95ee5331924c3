import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import { type DataKey, seal, unseal } from './format';
import { assertSecretName, assertSecretValue, type SecretStore, type SecretStoreKind, SecretStoreError } from './types';

export interface SecretRows {
  get(name: string): Buffer | undefined;
  all(): { name: string; ciphertext: Buffer }[];
  put(name: string, ciphertext: Buffer): void;
  /** Replaces a row only if it still holds `expected`, so a concurrent set is never undone. */
  replace(name: string, expected: Buffer, ciphertext: Buffer): boolean;
  remove(name: string): void;
}

/** The `secrets` table (name, ciphertext, updated_at): only sealed bytes ever reach it. */
export function secretRows(db: Db, clock: Clock): SecretRows {
  const select = db.prepare<[string], { ciphertext: Buffer }>('SELECT ciphertext FROM secrets WHERE name = ?');
  const selectAll = db.prepare<[], { name: string; ciphertext: Buffer }>('SELECT name, ciphertext FROM secrets ORDER BY name');
  const upsert = db.prepare<[string, Buffer, number]>(
    `INSERT INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
  );
  const update = db.prepare<[Buffer, number, string, Buffer]>('UPDATE secrets SET ciphertext = ?, updated_at = ? WHERE name = ? AND ciphertext = ?');
  const del = db.prepare<[string]>('DELETE FROM secrets WHERE name = ?');
  return {
    get: (name) => select.get(name)?.ciphertext,
    all: () => selectAll.all(),
    put: (name, ciphertext) => void upsert.run(name, ciphertext, clock.now()),
    replace: (name, expected, ciphertext) => update.run(ciphertext, clock.now(), name, expected).changes === 1,
    remove: (name) => void del.run(name),
  };
}

/** The store's current data key: replaced in place when a keychain that was locked or silent answers. */
export interface KeySlot {
  kind: SecretStoreKind;
  key: DataKey | SecretStoreError;
}

export interface SlottedSecretStore extends SecretStore {
  /** Swaps the key under the running store: every read and write from now on uses it. */
  useKey(next: KeySlot): void;
  /** Tells whoever cached values read under the old key, once rows under it were re-sealed. */
  announceKey(): void;
}

/**
 * The one SecretStore both hosts use: AES-256-GCM rows in SQLite under the data key. When the
 * key itself is unusable, reads of stored secrets and every write report that typed error, so
 * callers show "not set" and the operator learns why instead of the app failing to start.
 */
export function createSecretStore(rows: SecretRows, initial: KeySlot): SlottedSecretStore {
  let slot: KeySlot = { kind: initial.kind, key: initial.key };
  const listeners = new Set<() => void>();
  const usableKey = (): DataKey => {
    if (slot.key instanceof SecretStoreError) throw slot.key;
    return slot.key;
  };
  const get = async (name: string): Promise<string | undefined> => {
    assertSecretName(name);
    const ciphertext = rows.get(name);
    return ciphertext === undefined ? undefined : unseal(usableKey(), name, ciphertext);
  };
  return {
    get kind() {
      return slot.kind;
    },
    get weaker() {
      return slot.kind === 'key-file';
    },
    get,
    async has(name) {
      return (await get(name)) !== undefined;
    },
    async set(name, value) {
      assertSecretName(name);
      assertSecretValue(name, value);
      rows.put(name, seal(usableKey(), name, value));
    },
    async delete(name) {
      assertSecretName(name);
      // Needs no key: the operator can always clear a secret that no longer decrypts.
      rows.remove(name);
    },
    onKeyChanged(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    useKey(next) {
      slot = { kind: next.kind, key: next.key };
    },
    announceKey() {
      for (const listener of listeners) listener();
    },
  };
}
