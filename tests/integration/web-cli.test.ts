import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { prompt } from '../support/ai';
import { closeCode, openRawSocket, resetDuringRefusedHandshake } from '../support/raw-ws';
import { type HostProcess, runHostExpectingExit, startHostProcess } from '../support/web-process';
import { useTempDirs } from '../support/tmp';
import { PROTOCOL_VIOLATIONS } from '../support/wire-limits';
import { systemTimeZone } from '../../shared/settings';

/** A process is gone once it is absent or a zombie its new parent has yet to reap. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** One socket, many calls in flight: `call` sends at once and resolves with the reply to that id. */
async function socket(url: string) {
  const u = new URL(url);
  const token = new URLSearchParams(u.hash.slice(1)).get('token');
  const ws = new WebSocket(`ws://${u.host}/ws?token=${token}`, { origin: u.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on('message', (d) => {
    const frame = JSON.parse(String(d));
    if (frame.type === 'reply') waiting.get(frame.id)?.(frame.result);
  });
  let id = 0;
  return {
    ws,
    call(method: string, input: unknown): Promise<unknown> {
      const mine = id++;
      ws.send(JSON.stringify({ id: mine, method, input }));
      return new Promise((resolve) => waiting.set(mine, resolve));
    },
  };
}

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
  const hosts: HostProcess[] = [];
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.stop('SIGKILL');
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('prints its URL and stops cleanly on %s, its core with it', async (signal) => {
    const host = await startHostProcess(tempDir());
    hosts.push(host);
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const corePid = await host.corePid();
    expect(corePid).not.toBe(host.child.pid);
    expect(running(corePid)).toBe(true);
    expect(await host.stop(signal)).toBe(0);
    expect(running(corePid)).toBe(false);
  });

  it('when its core is killed mid-call: answers the call unavailable, says so, and exits non-zero', async () => {
    const host = await startHostProcess(tempDir());
    hosts.push(host);
    const client = await socket(host.url);
    expect(await client.call('settings.update', { sandboxMode: true })).toMatchObject({ ok: true });
    for (const target of ['azure', 'openai', 'local']) await client.call('sandbox.setFault', { target, fault: 'timeout' });
    // The sandbox holds the completion; the next call's answer shows it reached the core.
    const inFlight = client.call('ai.complete', prompt());
    expect(await client.call('sandbox.state', {})).toMatchObject({ ok: true });

    process.kill(await host.corePid(), 'SIGKILL');
    expect(await inFlight).toEqual({ ok: false, error: { kind: 'unavailable', code: 'host_unreachable', params: {} } });
    expect(await host.ended).toBe(1);
    expect(host.stderr()).toMatch(/huntaze: the core process stopped unexpectedly \(signal SIGKILL\); the log is in /);
  });

  it('when the host itself is killed, its core closes by itself instead of lingering', async () => {
    const host = await startHostProcess(tempDir());
    hosts.push(host);
    const corePid = await host.corePid();
    // `stop` resolves only once the core has let go of the pipes it shares with the host.
    await host.stop('SIGKILL');
    expect(running(corePid)).toBe(false);
  });

  it('shows an OS notification on the open pages: the host answers the core’s notify port', async () => {
    const host = await startHostProcess(tempDir());
    hosts.push(host);
    const client = await socket(host.url);
    const fired: unknown[] = [];
    client.ws.on('message', (d) => {
      const frame = JSON.parse(String(d));
      if (frame.type === 'event' && frame.event === 'alert.fired') fired.push(frame.payload);
    });
    expect(await client.call('alerts.test', { channel: 'os' })).toEqual({ ok: true, value: { ok: true } });
    expect(fired).toEqual([expect.objectContaining({ level: 'info', path: expect.stringMatching(/^\/alerts\/test-\d+$/) })]);
    client.ws.close();
  });

  it('keeps settings across a restart with HUNTAZE_DATA_DIR', async () => {
    const dataDir = tempDir();
    const first = await startHostProcess(dataDir);
    hosts.push(first);
    expect(await rpc(first.url, 'settings.update', { operatorName: 'Night shift', language: 'fr' })).toMatchObject({ ok: true });
    expect(await first.stop()).toBe(0);

    const second = await startHostProcess(dataDir);
    hosts.push(second);
    expect(second.url).not.toBe(first.url); // a new token every start
    expect(await rpc(second.url, 'settings.get', {})).toEqual({
      ok: true,
      value: { operatorName: 'Night shift', theme: 'system', language: 'fr', sandboxMode: false, timeZone: systemTimeZone() },
    });
  });

  it('outlives WebSocket protocol errors and handshake resets, logging each', async () => {
    const host = await startHostProcess(tempDir());
    hosts.push(host);
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
