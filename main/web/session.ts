import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyFileOnce, errnoCode } from '../secrets/key-file';

/**
 * The data folder's browser-session key: what lets a restarted host prove to an open tab's ticket
 * that it serves the same data. Kept beside the database rather than in the keychain: anyone who
 * can read this folder can read the data itself, and a tab only ever sees tickets made from it.
 */
export const SESSION_KEY_FILE = 'web-session.key';
/** The port the host last listened on, so a restart comes back where open tabs look for it. */
export const PORT_FILE = 'web-host.port';

const KEY_BYTES = 32;
const TICKET_VERSION = 'v1';
/** A tab away longer than this opens the printed link again; every reconnection renews its ticket. */
export const TICKET_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export type SessionKey = Buffer & { readonly __sessionKey: unique symbol };

async function readKey(path: string): Promise<SessionKey | undefined> {
  try {
    const bytes = await readFile(path);
    return bytes.length === KEY_BYTES ? (bytes as SessionKey) : undefined;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * The folder's key, created on first use. Written to a temp file then link()ed into place, so two
 * hosts starting at once agree on whichever landed first. A damaged file is replaced: the only
 * loss is that tabs already open are asked to open the new link.
 */
export async function readOrCreateSessionKey(dataDir: string): Promise<SessionKey> {
  const path = join(dataDir, SESSION_KEY_FILE);
  const existing = await readKey(path);
  if (existing) return existing;
  await createKeyFileOnce(path, KEY_BYTES, async () => !(await readKey(path)));
  const key = await readKey(path);
  if (!key) throw new Error(`the session key ${path} could not be created`);
  return key;
}

export async function readRememberedPort(dataDir: string): Promise<number | undefined> {
  try {
    const text = (await readFile(join(dataDir, PORT_FILE), 'utf8')).trim();
    const port = Number(text);
    return /^\d+$/.test(text) && port > 0 && port <= 65535 ? port : undefined;
  } catch {
    return undefined;
  }
}

export async function rememberPort(dataDir: string, port: number): Promise<void> {
  await writeFile(join(dataDir, PORT_FILE), `${port}\n`);
}

const mac = (key: SessionKey, issuedAt: string) =>
  createHmac('sha256', key).update(`huntaze-web-session:${TICKET_VERSION}:${issuedAt}`).digest('base64url');

/** A ticket any host on the same data folder accepts until it is TICKET_MAX_AGE_MS old. */
export function mintTicket(key: SessionKey, nowMs: number): string {
  const issuedAt = Math.floor(nowMs).toString(36);
  return `${TICKET_VERSION}.${issuedAt}.${mac(key, issuedAt)}`;
}

export function verifyTicket(key: SessionKey, ticket: string, nowMs: number): boolean {
  const [version, issuedAt, given, ...rest] = ticket.split('.');
  if (version !== TICKET_VERSION || !issuedAt || !given || rest.length > 0 || !/^[0-9a-z]{1,12}$/.test(issuedAt)) return false;
  const expected = Buffer.from(mac(key, issuedAt));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return false;
  const age = nowMs - parseInt(issuedAt, 36);
  // A ticket from the future means the clock moved back; it is still this folder's, so it passes.
  return age <= TICKET_MAX_AGE_MS;
}
