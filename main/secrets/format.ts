import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { SecretStoreError } from './types';

/**
 * One row of the `secrets` table, version 1:
 *
 *   "HZS" 0x01 | key id (8) | IV (12) | GCM tag (16) | AES-256-GCM ciphertext
 *
 * The associated data is the header (magic, version, key id) followed by the secret's name, so a
 * ciphertext copied under another name, or relabelled with another key id, fails to decrypt.
 * Electron's safeStorage wrote "v10"/"v11"-prefixed or DPAPI blobs in the same table; the magic
 * tells those legacy rows apart without a schema change.
 */
const MAGIC = Buffer.from('HZS\x01', 'latin1');
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + KEY_ID_BYTES;
const MIN_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES + 1;

export const DATA_KEY_BYTES = 32;

export interface DataKey {
  readonly bytes: Buffer;
  /** Names the key inside each row without revealing anything about it. */
  readonly id: Buffer;
}

export function dataKey(bytes: Buffer): DataKey {
  if (bytes.length !== DATA_KEY_BYTES) throw new RangeError(`a data key is ${DATA_KEY_BYTES} bytes`);
  const id = createHmac('sha256', bytes).update('huntaze secret-store key id v1').digest().subarray(0, KEY_ID_BYTES);
  return { bytes, id };
}

export function newDataKey(): DataKey {
  return dataKey(randomBytes(DATA_KEY_BYTES));
}

export function isCurrentFormat(blob: Uint8Array): boolean {
  return blob.length >= MAGIC.length && Buffer.from(blob.buffer, blob.byteOffset, MAGIC.length).equals(MAGIC);
}

/** Rows without the magic were written by Electron's safeStorage before this store existed. */
export function isLegacyFormat(blob: Uint8Array): boolean {
  return blob.length >= MAGIC.length && !isCurrentFormat(blob);
}

/** The key id a current-format row names, or undefined for a legacy or truncated row. */
export function keyIdOf(blob: Uint8Array): Buffer | undefined {
  if (!isCurrentFormat(blob) || blob.length < HEADER_BYTES) return undefined;
  return Buffer.from(blob.buffer, blob.byteOffset + MAGIC.length, KEY_ID_BYTES);
}

function aad(header: Buffer, name: string): Buffer {
  return Buffer.concat([header, Buffer.from(name, 'utf8')]);
}

export function seal(key: DataKey, name: string, value: string): Buffer {
  const header = Buffer.concat([MAGIC, key.id]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(header, name));
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), data]);
}

/** Throws SecretStoreError: `wrong_key` when another key sealed it, `corrupt` when it was altered. */
export function unseal(key: DataKey, name: string, blob: Uint8Array): string {
  const row = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (isLegacyFormat(row)) {
    throw new SecretStoreError(
      'wrong_key',
      `The secret "${name}" was stored by the desktop app's earlier store (Electron safeStorage) and has not been migrated yet: start the desktop app once, or enter it again.`,
    );
  }
  if (row.length < MIN_BYTES) throw new SecretStoreError('corrupt', `The stored secret "${name}" is damaged (truncated).`);
  const header = row.subarray(0, HEADER_BYTES);
  if (!header.subarray(MAGIC.length).equals(key.id)) {
    throw new SecretStoreError(
      'wrong_key',
      `The secret "${name}" was encrypted under a data key this store does not hold (the keychain entry was replaced or lost): enter it again.`,
    );
  }
  const iv = row.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = row.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(header, name));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(row.subarray(HEADER_BYTES + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretStoreError('corrupt', `The stored secret "${name}" fails its integrity check (damaged, or moved from another name).`);
  }
}
