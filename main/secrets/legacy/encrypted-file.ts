import { createDecipheriv } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { errnoCode, syncDir } from '../key-file';
import { SECRET_NAME_PATTERN } from '../types';

/** What the browser host's fallback store wrote before the unified store (AES-256-GCM JSON). */
export const LEGACY_SECRETS_FILE = 'secrets.enc.json';
export const LEGACY_KEY_FILE = 'secrets.key';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Canonical base64 only, as that store wrote it: anything else means the file was edited. */
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

export type LegacyFile =
  | { state: 'absent' }
  | { state: 'readable'; entries: Map<string, string> }
  /** Left exactly as found: the reason names a file or an entry, never a value. */
  | { state: 'unreadable'; reason: string };

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

function decrypt(key: Buffer, name: string, entry: z.infer<typeof entrySchema>): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(entry.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Every entry, authenticated, or the reason the pair cannot be read; all or nothing. */
export async function readLegacyFile(dataDir: string): Promise<LegacyFile> {
  let raw: Buffer | undefined;
  let key: Buffer | undefined;
  try {
    raw = await readIfExists(join(dataDir, LEGACY_SECRETS_FILE));
    key = await readIfExists(join(dataDir, LEGACY_KEY_FILE));
  } catch (err) {
    return { state: 'unreadable', reason: `cannot read it: ${errnoCode(err) ?? (err as Error).message}` };
  }
  // A key with no file: the old store made its key and crashed before its first write.
  if (raw === undefined) return key === undefined ? { state: 'absent' } : { state: 'readable', entries: new Map() };
  if (key === undefined) return { state: 'unreadable', reason: `${LEGACY_KEY_FILE} is missing` };
  if (key.length !== 32) return { state: 'unreadable', reason: `${LEGACY_KEY_FILE} is not a 32-byte key` };

  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    // The parser's message quotes file content; the reason is enough.
    return { state: 'unreadable', reason: 'not valid JSON' };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) return { state: 'unreadable', reason: `unexpected content at ${parsed.error.issues[0]?.path.join('.') || 'top level'}` };
  const entries = new Map<string, string>();
  for (const [name, entry] of Object.entries(parsed.data.entries)) {
    const value = decrypt(key, name, entry);
    if (value === undefined) return { state: 'unreadable', reason: `the secret "${name}" fails its integrity check` };
    entries.set(name, value);
  }
  return { state: 'readable', entries };
}

/** The secrets file goes first: a crash in between leaves a lone key, never undecryptable data. */
export async function removeLegacyFile(dataDir: string): Promise<void> {
  for (const file of [LEGACY_SECRETS_FILE, LEGACY_KEY_FILE]) {
    try {
      await unlink(join(dataDir, file));
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    await syncDir(dataDir);
  }
}
