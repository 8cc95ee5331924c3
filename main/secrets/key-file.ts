import { randomBytes, randomUUID } from 'node:crypto';
import { link, open, readFile, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DATA_KEY_BYTES, type DataKey, dataKey } from './format';
import { SecretStoreError } from './types';

/** The data key where no keychain answers: anyone who can read the data folder can use it. */
export const KEY_FILE = 'secret-store.key';

export const errnoCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

export async function syncDir(dir: string): Promise<void> {
  // Makes a link/rename/unlink itself durable; directories cannot be opened this way on Windows.
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* best effort */
  }
}

/**
 * Puts a new random key of `size` bytes at `path` unless a file is there: written to a temp file
 * (owner-only), synced, then link()ed into place. link refuses to replace an existing file, so
 * two processes creating it at once both end up with whichever key landed first. When a file was
 * there, `replaceDamaged` may say it is unusable: it is removed and the new key put in its place.
 */
export async function createKeyFileOnce(path: string, size: number, replaceDamaged?: () => Promise<boolean>): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(randomBytes(size));
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await link(tmp, path);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      if (replaceDamaged && (await replaceDamaged())) {
        await rm(path, { force: true });
        await link(tmp, path);
      }
    }
    await syncDir(dirname(path));
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The key file's key, undefined when there is none, or the typed reason it cannot be used. */
export async function readKeyFile(dataDir: string): Promise<DataKey | SecretStoreError | undefined> {
  const path = join(dataDir, KEY_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    return new SecretStoreError('unavailable', `The key file ${path} cannot be read: ${errnoCode(err) ?? (err as Error).message}`);
  }
  if (bytes.length !== DATA_KEY_BYTES) {
    return new SecretStoreError(
      'corrupt',
      `The key file ${path} is not a ${DATA_KEY_BYTES}-byte key. It was left untouched: restore it from a backup, or move it away and enter every secret again.`,
    );
  }
  return dataKey(bytes);
}

/**
 * Reads the key file, creating it first when absent. The new key is written to a temp file,
 * synced, then link()ed into place: link refuses to replace an existing file, so two hosts
 * creating it at once both end up with whichever key landed first.
 */
export async function readOrCreateKeyFile(dataDir: string): Promise<DataKey | SecretStoreError> {
  const existing = await readKeyFile(dataDir);
  if (existing) return existing;
  const path = join(dataDir, KEY_FILE);
  try {
    await createKeyFileOnce(path, DATA_KEY_BYTES);
  } catch (err) {
    return new SecretStoreError('unavailable', `Cannot create the key file ${path}: ${errnoCode(err) ?? (err as Error).message}`);
  }
  return (await readKeyFile(dataDir)) ?? new SecretStoreError('unavailable', `The key file ${path} vanished while it was being created.`);
}

export async function removeKeyFile(dataDir: string): Promise<void> {
  try {
    await unlink(join(dataDir, KEY_FILE));
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  await syncDir(dataDir);
}
