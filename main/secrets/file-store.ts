import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { assertSecretName, assertSecretValue, SECRET_NAME_PATTERN, type SecretStore, SecretStoreError } from './types';

export const KEY_FILE = 'secrets.key';
export const SECRETS_FILE = 'secrets.enc.json';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Canonical base64 only: Node's decoder ignores stray characters and the unused low bits of
 * the last character, so without this some edits to the file would go unnoticed.
 */
const base64 = (bytes?: number) =>
  z.string().refine((s) => {
    const decoded = Buffer.from(s, 'base64');
    return decoded.toString('base64') === s && decoded.length > 0 && (bytes === undefined || decoded.length === bytes);
  });

const entrySchema = z.strictObject({ iv: base64(IV_BYTES), tag: base64(TAG_BYTES), data: base64() });
const fileSchema = z.strictObject({
  version: z.literal(1),
  entries: z.record(z.string().regex(SECRET_NAME_PATTERN), entrySchema),
});

type Entry = z.infer<typeof entrySchema>;
interface Loaded {
  key: Buffer | undefined;
  entries: Map<string, { entry: Entry; value: string }>;
}

function encrypt(key: Buffer, name: string, value: string): Entry {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  // The name is authenticated so an entry copied under another name fails to decrypt.
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function decrypt(key: Buffer, name: string, entry: Entry): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(entry.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Writes through a temp file so a crash leaves either the old file or the new one, never half. */
async function writeDurably(path: string, content: string | Buffer, install: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await install(tmp);
  } finally {
    await rm(tmp, { force: true });
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; directories cannot be opened this way on Windows.
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

/** One write queue per secrets file, shared by every store instance in this process. */
const queues = new Map<string, Promise<unknown>>();

function serialize<T>(path: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(path) ?? Promise.resolve()).then(task, task);
  const tail = run.catch(() => undefined);
  queues.set(path, tail);
  void tail.then(() => {
    if (queues.get(path) === tail) queues.delete(path);
  });
  return run;
}

/**
 * The fallback when no OS keychain answers: AES-256-GCM under a random key kept beside the
 * secrets. Anyone who can read the data folder can read the secrets, hence `weaker`.
 */
export function createFileSecretStore(dataDir: string): SecretStore {
  const dir = resolve(dataDir);
  const keyPath = join(dir, KEY_FILE);
  const secretsPath = join(dir, SECRETS_FILE);

  const corrupt = (detail: string) =>
    new SecretStoreError(
      'corrupt',
      `The secrets file ${secretsPath} is damaged or was modified (${detail}). It was left untouched; restore it and ${KEY_FILE} from a backup, or move both away and enter the secrets again.`,
    );
  const unavailable = (action: string, err: unknown) =>
    new SecretStoreError('unavailable', `Cannot ${action} in ${dir}: ${errnoCode(err) ?? (err as Error).message}`);

  async function readIfExists(path: string): Promise<Buffer | undefined> {
    try {
      return await readFile(path);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw corrupt(`${path} cannot be read: ${errnoCode(err) ?? 'unknown error'}`);
    }
  }

  async function readKey(): Promise<Buffer | undefined> {
    const key = await readIfExists(keyPath);
    if (key !== undefined && key.length !== KEY_BYTES) throw corrupt(`the key file ${KEY_FILE} is not a ${KEY_BYTES}-byte key`);
    return key;
  }

  async function createKey(): Promise<Buffer> {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // link() refuses to replace an existing key, so a racing process never swaps it mid-use.
      await writeDurably(keyPath, randomBytes(KEY_BYTES), async (tmp) => {
        try {
          await link(tmp, keyPath);
        } catch (err) {
          if (errnoCode(err) !== 'EEXIST') throw err;
        }
      });
      await syncDir(dir);
    } catch (err) {
      throw unavailable('create the secrets key', err);
    }
    const key = await readKey();
    if (!key) throw corrupt(`the key file ${KEY_FILE} vanished while it was being created`);
    return key;
  }

  /** Reads and authenticates every entry, so any damage is reported before anything is written. */
  async function load(options: { createKey: boolean }): Promise<Loaded> {
    const raw = await readIfExists(secretsPath);
    let key = await readKey();
    if (raw === undefined) {
      if (!key && options.createKey) key = await createKey();
      return { key, entries: new Map() };
    }
    if (!key) throw corrupt(`the key file ${KEY_FILE} is missing, so no secret can be decrypted`);

    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      // The parser's message quotes file content; the reason is enough.
      throw corrupt('not valid JSON');
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || 'top level';
      throw corrupt(`unexpected content at ${where}`);
    }
    const entries: Loaded['entries'] = new Map();
    for (const [name, entry] of Object.entries(parsed.data.entries)) {
      const value = decrypt(key, name, entry);
      if (value === undefined) throw corrupt(`the secret "${name}" fails its integrity check`);
      entries.set(name, { entry, value });
    }
    return { key, entries };
  }

  async function save(entries: Loaded['entries']): Promise<void> {
    const file = { version: 1 as const, entries: Object.fromEntries([...entries].map(([name, { entry }]) => [name, entry])) };
    try {
      await writeDurably(secretsPath, JSON.stringify(file, null, 2) + '\n', (tmp) => rename(tmp, secretsPath));
      await syncDir(dir);
    } catch (err) {
      throw unavailable('write the secrets file', err);
    }
  }

  const get = async (name: string): Promise<string | undefined> => {
    assertSecretName(name);
    return (await load({ createKey: false })).entries.get(name)?.value;
  };

  return {
    kind: 'encrypted-file',
    weaker: true,
    get,
    async has(name) {
      return (await get(name)) !== undefined;
    },
    async set(name, value) {
      assertSecretName(name);
      assertSecretValue(name, value);
      return serialize(secretsPath, async () => {
        const { key, entries } = await load({ createKey: true });
        entries.set(name, { entry: encrypt(key!, name, value), value });
        await save(entries);
      });
    },
    async delete(name) {
      assertSecretName(name);
      return serialize(secretsPath, async () => {
        const { entries } = await load({ createKey: false });
        if (!entries.delete(name)) return;
        await save(entries);
      });
    },
  };
}
