import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeCode, openRawSocket, resetDuringRefusedHandshake } from '../support/raw-ws';
import { type HostProcess, runHostExpectingExit, startHostProcess } from '../support/web-process';
import { useTempDirs } from '../support/tmp';
import { PROTOCOL_VIOLATIONS } from '../support/wire-limits';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function rpc(url: string, method: string, input: unknown): Promise<unknown> {
  const u = new URL(url);
  const token = new URLSearchParams(u.hash.slice(1)).get('token');
  const ws = new WebSocket(`ws://${u.host}/ws?token=${token}`, { origin: u.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const reply = await new Promise<unknown>((resolve) => {
    ws.on('message', (d) => {
      const frame = JSON.parse(String(d));
      if (frame.type === 'reply') resolve(frame.result);
    });
    ws.send(JSON.stringify({ id: 1, method, input }));
  });
  ws.close();
  return reply;
}

describe('npm run start:web (the built host process)', () => {
  const tempDir = useTempDirs();
  const running: HostProcess[] = [];
  afterEach(async () => {
    for (const host of running.splice(0)) await host.stop('SIGKILL');
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('prints its URL and stops cleanly on %s', async (signal) => {
    const host = await startHostProcess(tempDir());
    running.push(host);
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    expect(await host.stop(signal)).toBe(0);
  });

  it('keeps settings across a restart with HUNTAZE_DATA_DIR', async () => {
    const dataDir = tempDir();
    const first = await startHostProcess(dataDir);
    running.push(first);
    expect(await rpc(first.url, 'settings.update', { operatorName: 'Night shift', language: 'fr' })).toMatchObject({ ok: true });
    expect(await first.stop()).toBe(0);

    const second = await startHostProcess(dataDir);
    running.push(second);
    expect(second.url).not.toBe(first.url); // a new token every start
    expect(await rpc(second.url, 'settings.get', {})).toEqual({
      ok: true,
      value: { operatorName: 'Night shift', theme: 'system', language: 'fr', sandboxMode: false },
    });
  });

  it('outlives WebSocket protocol errors and handshake resets, logging each', async () => {
    const host = await startHostProcess(tempDir());
    running.push(host);
    const url = new URL(host.url);
    const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
    for (const violation of PROTOCOL_VIOLATIONS) {
      const raw = await openRawSocket(Number(url.port), token);
      raw.send(violation.bytes());
      expect(await closeCode(raw), violation.name).toBe(violation.closeCode);
      await raw.ended;
    }
    for (let i = 0; i < 20; i++) await resetDuringRefusedHandshake(Number(url.port));
    expect(await rpc(host.url, 'settings.get', {})).toMatchObject({ ok: true });
    expect(host.child.exitCode).toBeNull();
    for (const violation of PROTOCOL_VIOLATIONS) expect(host.stderr()).toContain(`"code":"${violation.wsError}"`);
    expect(await host.stop()).toBe(0);
  });

  it('refuses a database from a newer version with a clear message, leaving it untouched', async () => {
    const dataDir = tempDir();
    const path = join(dataDir, 'huntaze.db');
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    const before = sha(path);
    const run = await runHostExpectingExit(dataDir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/newer version of Huntaze \(schema 999/);
    expect(run.stdout).not.toMatch(/running at/);
    expect(sha(path)).toBe(before);
  });

  it('refuses a corrupt database file with a clear message, leaving it untouched', async () => {
    const dataDir = tempDir();
    const path = join(dataDir, 'huntaze.db');
    writeFileSync(path, Buffer.alloc(8192, 0xab));
    const before = sha(path);
    const run = await runHostExpectingExit(dataDir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a SQLite database or is damaged/);
    expect(sha(path)).toBe(before);
  });

  it.each([['--port', 'abc'], ['--port', '70000'], ['--bogus']])('rejects bad arguments %s', async (...args) => {
    const run = await runHostExpectingExit(tempDir(), args);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/huntaze: /);
  });
});
