import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { CoreMessage, HostMessage } from '../../../main/core/protocol';
import { openCore } from '../../../main/core/runtime';
import { type HostLink, type OpenCore, serveCore } from '../../../main/core/server';
import { silentLogger } from '../../../main/ports/logger';
import { createServices } from '../../../main/services';
import { prompt } from '../../support/ai';
import { useTempDirs } from '../../support/tmp';

/** The host's side played by the test: it hears what the core sends, in order, and can wait for a message. */
function scriptedHost() {
  const heard: CoreMessage[] = [];
  const waiters: { match: (m: CoreMessage) => boolean; resolve: (m: CoreMessage) => void }[] = [];
  let deliver: (message: unknown) => void = () => undefined;
  let disconnect: () => void = () => undefined;
  const link: HostLink = {
    send(message) {
      heard.push(message);
      for (const w of waiters.splice(0)) {
        if (w.match(message)) w.resolve(message);
        else waiters.push(w);
      }
    },
    onMessage: (listener) => void (deliver = listener),
    onDisconnect: (listener) => void (disconnect = listener),
    drain: () => Promise.resolve(),
  };
  const next = <T extends CoreMessage['type']>(type: T, id?: number) =>
    new Promise<Extract<CoreMessage, { type: T }>>((resolve) => {
      const match = (m: CoreMessage) => m.type === type && (id === undefined || (m as { id?: number }).id === id);
      const seen = heard.find(match);
      if (seen) resolve(seen as Extract<CoreMessage, { type: T }>);
      else waiters.push({ match, resolve: resolve as (m: CoreMessage) => void });
    });
  let id = 0;
  return {
    link,
    heard,
    next,
    say: (message: HostMessage | unknown) => deliver(message),
    disconnect: () => disconnect(),
    async call(method: string, input: unknown) {
      const callId = id++;
      deliver({ type: 'call', id: callId, method, input });
      return (await next('reply', callId)).result;
    },
  };
}

/** Real services on a real SQLite file, quiet. */
const quietCore: OpenCore = async ({ dataDir, host }) => {
  const services = await createServices({ dataDir, host, logger: silentLogger });
  return { api: services, logger: silentLogger, close: () => services.close(), closeLog: async () => undefined };
};

describe('the core end of the protocol', () => {
  const tempDir = useTempDirs();

  async function started(open: OpenCore = quietCore) {
    const host = scriptedHost();
    const exitCode = serveCore(host.link, open, silentLogger);
    host.say({ type: 'start', options: { dataDir: tempDir(), host: 'web', echoLogs: false } });
    await host.next('ready');
    return { host, exitCode };
  }

  it('answers a call that comes before the start as unavailable', async () => {
    const host = scriptedHost();
    void serveCore(host.link, quietCore, silentLogger);
    expect(await host.call('settings.get', {})).toEqual({ ok: false, error: { kind: 'unavailable', code: 'host_unreachable', params: {} } });
  });

  it('says ready with its pid, answers through the real registry and pushes events', async () => {
    const { host, exitCode } = await started();
    expect(await host.next('ready')).toEqual({ type: 'ready', pid: process.pid });
    expect(await host.call('settings.get', {})).toMatchObject({ ok: true, value: { theme: 'system' } });
    expect(await host.call('settings.update', { theme: 'plaid' })).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect(await host.call('no.such', {})).toMatchObject({ ok: false, error: { kind: 'unknown_method' } });
    const updated = await host.call('settings.update', { theme: 'dark' });
    expect(await host.next('event')).toEqual({ type: 'event', event: 'settings.changed', payload: (updated as { value: unknown }).value });
    host.say({ type: 'close' });
    expect(await exitCode).toBe(0);
  });

  it('answers a malformed message that carries an id, and ignores one that does not', async () => {
    const { host, exitCode } = await started();
    host.say({ type: 'call', id: 7 });
    host.say({ type: 'call', id: 8, method: 'settings.get', input: {}, extra: true });
    host.say({ type: 'shout' });
    host.say(null);
    expect((await host.next('reply', 7)).result).toEqual({ ok: false, error: { kind: 'invalid_input', code: 'malformed_frame', params: {} } });
    // Unknown keys are dropped like any zod object: the call itself was well-formed.
    expect((await host.next('reply', 8)).result).toMatchObject({ ok: true });
    host.say({ type: 'close' });
    expect(await exitCode).toBe(0);
    expect(host.heard.filter((m) => m.type === 'reply')).toHaveLength(2);
  });

  it('on close, cancels a call in flight and answers it before saying it has closed', async () => {
    const { host, exitCode } = await started();
    await host.call('settings.update', { sandboxMode: true });
    for (const target of ['azure', 'openai', 'local']) await host.call('sandbox.setFault', { target, fault: 'timeout' });
    host.say({ type: 'call', id: 100, method: 'ai.complete', input: prompt() });
    await host.call('sandbox.state', {}); // ordered: the completion is in the core's hands
    host.say({ type: 'close' });
    expect(await exitCode).toBe(0);
    const order = host.heard.map((m) => (m.type === 'reply' ? `reply ${m.id}` : m.type));
    expect(order.indexOf('reply 100')).toBeGreaterThan(-1);
    expect(order.indexOf('reply 100')).toBeLessThan(order.indexOf('closed'));
    expect(order.at(-1)).toBe('closed');
  });

  it('closes by itself when the host goes away', async () => {
    const { host, exitCode } = await started();
    host.disconnect();
    expect(await exitCode).toBe(0);
    expect(host.heard.at(-1)).toEqual({ type: 'closed' });
  });

  it('reports a refused database as db_open in the operator’s words, touches nothing, and leaves only when told', async () => {
    const dataDir = tempDir();
    const path = join(dataDir, 'huntaze.db');
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    const sha = () => createHash('sha256').update(readFileSync(path)).digest('hex');
    const before = sha();
    const host = scriptedHost();
    let exited: number | undefined;
    const exitCode = serveCore(host.link, openCore, silentLogger).then((code) => (exited = code));
    host.say({ type: 'start', options: { dataDir, host: 'web', echoLogs: false } });
    const fatal = await host.next('fatal');
    expect(fatal.code).toBe('db_open');
    expect(fatal.message).toMatch(/newer version of Huntaze \(schema 999/);
    expect(await host.call('settings.get', {})).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(exited).toBeUndefined();
    host.say({ type: 'close' });
    expect(await exitCode).toBe(1);
    expect(sha()).toBe(before);
  });

  it('reports any other start failure as startup, with its reason', async () => {
    const host = scriptedHost();
    const exitCode = serveCore(host.link, async () => {
      throw new Error('keychain locked');
    }, silentLogger);
    host.say({ type: 'start', options: { dataDir: tempDir(), host: 'web', echoLogs: false } });
    expect(await host.next('fatal')).toEqual({ type: 'fatal', code: 'startup', message: 'Huntaze could not start: keychain locked' });
    host.disconnect();
    expect(await exitCode).toBe(1);
  });

  it('measures its own event loop between lag start and stop', async () => {
    const { host, exitCode } = await started();
    host.say({ type: 'lag', id: 1, action: 'start' });
    expect((await host.next('lag', 1)).lag).toBeNull();
    await host.call('health.get', {});
    host.say({ type: 'lag', id: 2, action: 'stop' });
    const { lag } = await host.next('lag', 2);
    expect(lag).toEqual({ p50Ms: expect.any(Number), p99Ms: expect.any(Number), maxMs: expect.any(Number) });
    expect(lag!.maxMs).toBeGreaterThanOrEqual(lag!.p99Ms);
    host.say({ type: 'lag', id: 3, action: 'stop' });
    expect((await host.next('lag', 3)).lag).toBeNull();
    host.say({ type: 'close' });
    expect(await exitCode).toBe(0);
  });
});
