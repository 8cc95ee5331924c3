import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pickEncoding } from '../../main/web/compress';
import {
  mintTicket,
  readOrCreateSessionKey,
  readRememberedPort,
  rememberPort,
  SESSION_KEY_FILE,
  TICKET_MAX_AGE_MS,
  verifyTicket,
} from '../../main/web/session';
import { useTempDirs } from '../support/tmp';

const T0 = Date.UTC(2026, 10, 26, 12);

describe('browser-session tickets', () => {
  const tempDir = useTempDirs();

  it('keeps one key per data folder, private to its owner, and replaces a damaged one', async () => {
    const dir = tempDir();
    const key = await readOrCreateSessionKey(dir);
    expect((await readOrCreateSessionKey(dir)).equals(key)).toBe(true);
    expect(statSync(join(dir, SESSION_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect((await readOrCreateSessionKey(tempDir())).equals(key)).toBe(false);

    writeFileSync(join(dir, SESSION_KEY_FILE), 'short');
    const replaced = await readOrCreateSessionKey(dir);
    expect(replaced.length).toBe(32);
    expect(readFileSync(join(dir, SESSION_KEY_FILE)).equals(replaced)).toBe(true);
  });

  it('accepts a ticket under the key that made it, until it is too old', async () => {
    const key = await readOrCreateSessionKey(tempDir());
    const ticket = mintTicket(key, T0);
    expect(verifyTicket(key, ticket, T0)).toBe(true);
    expect(verifyTicket(key, ticket, T0 + TICKET_MAX_AGE_MS)).toBe(true);
    expect(verifyTicket(key, ticket, T0 + TICKET_MAX_AGE_MS + 1)).toBe(false);
  });

  it('refuses a ticket from another folder, with a changed date, or malformed', async () => {
    const key = await readOrCreateSessionKey(tempDir());
    const other = await readOrCreateSessionKey(tempDir());
    const ticket = mintTicket(key, T0);
    expect(verifyTicket(other, ticket, T0)).toBe(false);
    const [version, issued, mac] = ticket.split('.');
    // Pushing the issue date forward would extend the ticket's life: the MAC covers it.
    const later = (parseInt(issued!, 36) + TICKET_MAX_AGE_MS).toString(36);
    expect(verifyTicket(key, `${version}.${later}.${mac}`, T0 + TICKET_MAX_AGE_MS + 1)).toBe(false);
    for (const bad of ['', 'v1', 'v1..', `v2.${issued}.${mac}`, `${ticket}.x`, `${version}.${issued}.${mac!.slice(1)}`, `${version}.${issued}.`]) {
      expect(verifyTicket(key, bad, T0), bad).toBe(false);
    }
  });

  it('remembers the last port, and ignores a file that holds no port', async () => {
    const dir = tempDir();
    expect(await readRememberedPort(dir)).toBeUndefined();
    await rememberPort(dir, 43117);
    expect(await readRememberedPort(dir)).toBe(43117);
    writeFileSync(join(dir, 'web-host.port'), '99999\n');
    expect(await readRememberedPort(dir)).toBeUndefined();
  });
});

describe('content encoding', () => {
  it('prefers brotli, then gzip, and honours q=0 and wildcards', () => {
    expect(pickEncoding(undefined)).toBeUndefined();
    expect(pickEncoding('identity')).toBeUndefined();
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('gzip')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*;q=0, gzip')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0')).toBeUndefined();
  });
});
