import { describe, expect, it, vi } from 'vitest';
import { type CoreExit, type CoreLink, CoreStartError, connectCore } from '../../../main/core/client';
import type { HostMessage, StartRequest } from '../../../main/core/protocol';
import { recordingLogger } from '../../support/ai';

const START: StartRequest = { dataDir: '/data', host: 'web', echoLogs: false };
const UNAVAILABLE = { ok: false, error: { kind: 'unavailable', code: 'host_unreachable', params: {} } };

/** The far end played by the test: what the host sent, and the core's side of the conversation. */
function scriptedCore() {
  const sent: HostMessage[] = [];
  let deliver: (message: unknown) => void = () => undefined;
  let exit: (exit: CoreExit) => void = () => undefined;
  let kills = 0;
  const link: CoreLink = {
    send(message) {
      // What a real channel does: a value it cannot encode is refused at once.
      JSON.stringify(message);
      sent.push(message);
    },
    onMessage: (listener) => void (deliver = listener),
    onExit: (listener) => void (exit = listener),
    kill: () => void kills++,
  };
  return {
    link,
    sent,
    kills: () => kills,
    say: (message: unknown) => deliver(message),
    exit: (e: CoreExit) => exit(e),
    calls: () => sent.filter((m): m is Extract<HostMessage, { type: 'call' }> => m.type === 'call'),
  };
}

async function readyCore() {
  const core = scriptedCore();
  const logger = recordingLogger();
  const client = connectCore(core.link, START, { logger, closeGraceMs: 60_000 });
  core.say({ type: 'ready', pid: 4242 });
  await client.ready;
  return { core, client, logger };
}

describe('the host end of the core protocol', () => {
  it('starts the core with its options and resolves ready with its pid', async () => {
    const { core, client } = await readyCore();
    expect(core.sent[0]).toEqual({ type: 'start', options: { ...START, hostPorts: [] } });
    await expect(client.ready).resolves.toEqual({ pid: 4242 });
  });

  it('answers the core’s questions on the ports it serves, and refuses the rest', async () => {
    const core = scriptedCore();
    const opened: string[] = [];
    const client = connectCore(core.link, START, { logger: recordingLogger(), ports: { 'shell.openPath': async (p) => (opened.push(p), true) } });
    expect(core.sent[0]).toEqual({ type: 'start', options: { ...START, hostPorts: ['shell.openPath'] } });
    core.say({ type: 'ready', pid: 4242 });
    await client.ready;
    const answered = (id: number) => vi.waitFor(() => core.sent.find((m) => m.type === 'answer' && m.id === id) ?? Promise.reject(new Error('no answer yet')));
    core.say({ type: 'ask', id: 1, port: 'shell.openPath', input: '/data/logs' });
    expect(await answered(1)).toEqual({ type: 'answer', id: 1, ok: true, value: true });
    expect(opened).toEqual(['/data/logs']);
    // A port this host never offered, and a question that breaks its port's schema, are refused.
    core.say({ type: 'ask', id: 2, port: 'safeStorage.decrypt', input: [] });
    expect(await answered(2)).toEqual({ type: 'answer', id: 2, ok: false, value: null });
    core.say({ type: 'ask', id: 3, port: 'shell.openPath', input: 42 });
    expect(await answered(3)).toEqual({ type: 'answer', id: 3, ok: false, value: null });
    expect(opened).toEqual(['/data/logs']);
  });

  it('matches replies to calls by id, in whatever order they come', async () => {
    const { core, client } = await readyCore();
    const a = client.registry.dispatch('settings.get', {});
    const b = client.invoke('health.get', {});
    const [ca, cb] = core.calls();
    expect(ca).toEqual({ type: 'call', id: ca!.id, method: 'settings.get', input: {} });
    core.say({ type: 'reply', id: cb!.id, result: { ok: true, value: 'b' } });
    core.say({ type: 'reply', id: ca!.id, result: { ok: true, value: 'a' } });
    expect(await a).toEqual({ ok: true, value: 'a' });
    expect(await b).toEqual({ ok: true, value: 'b' });
  });

  it('answers a call whose reply breaks the protocol as malformed, and ignores strays', async () => {
    const { core, client, logger } = await readyCore();
    const pending = client.registry.dispatch('settings.get', {});
    const [call] = core.calls();
    core.say({ type: 'reply', id: 999, result: { ok: true, value: 1 } });
    core.say({ type: 'reply', id: call!.id, result: { ok: false, error: { kind: 'exploded', code: 'internal', params: {} } } });
    expect(await pending).toEqual({ ok: false, error: { kind: 'internal', code: 'malformed_reply', params: { method: 'settings.get' } } });
    core.say('not a message');
    expect(logger.lines.filter((l) => l.includes('malformed message'))).toHaveLength(2);
    expect(logger.lines.some((l) => l.includes('no pending call'))).toBe(true);
  });

  it('fans out events that match the contract and drops those that do not', async () => {
    const { core, client } = await readyCore();
    const seen: unknown[] = [];
    const unsubscribe = client.events.subscribe((event, payload) => seen.push([event, payload]));
    const settings = { operatorName: 'Zoé', theme: 'dark', language: 'fr', sandboxMode: false, timeZone: 'Europe/Paris' };
    core.say({ type: 'event', event: 'settings.changed', payload: settings });
    core.say({ type: 'event', event: 'settings.changed', payload: { theme: 'plaid' } });
    core.say({ type: 'event', event: 'no.such.event', payload: {} });
    unsubscribe();
    core.say({ type: 'event', event: 'settings.changed', payload: settings });
    expect(seen).toEqual([['settings.changed', settings]]);
  });

  it('answers every pending call unavailable when the core dies, and every later call at once', async () => {
    const { core, client } = await readyCore();
    const pending = [client.registry.dispatch('ai.complete', {}), client.registry.dispatch('settings.get', {})];
    core.exit({ code: null, signal: 'SIGKILL' });
    expect(await Promise.all(pending)).toEqual([UNAVAILABLE, UNAVAILABLE]);
    expect(await client.exited).toEqual({ code: null, signal: 'SIGKILL', requested: false });
    const sentBefore = core.sent.length;
    expect(await client.registry.dispatch('settings.get', {})).toEqual(UNAVAILABLE);
    expect(core.sent).toHaveLength(sentBefore);
  });

  it('rejects ready with the core’s own words when it cannot start, and answers calls unavailable', async () => {
    const core = scriptedCore();
    const client = connectCore(core.link, START, { logger: recordingLogger() });
    const call = client.registry.dispatch('settings.get', {});
    core.say({ type: 'fatal', code: 'db_open', message: 'This database was written by a newer version of Huntaze.' });
    const err = await client.ready.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoreStartError);
    expect(err).toMatchObject({ code: 'db_open', message: 'This database was written by a newer version of Huntaze.' });
    expect(await call).toEqual(UNAVAILABLE);
    expect(core.calls()).toHaveLength(0);
  });

  it('rejects ready when the core ends before saying anything', async () => {
    const core = scriptedCore();
    const client = connectCore(core.link, START, { logger: recordingLogger() });
    core.exit({ code: 3, signal: null });
    await expect(client.ready).rejects.toMatchObject({ code: 'exited', message: expect.stringMatching(/exit code 3/) });
  });

  it('holds calls made while starting until the core is ready', async () => {
    const core = scriptedCore();
    const client = connectCore(core.link, START, { logger: recordingLogger() });
    const call = client.registry.dispatch('settings.get', {});
    expect(core.calls()).toHaveLength(0);
    core.say({ type: 'ready', pid: 1 });
    await client.ready;
    await Promise.resolve();
    const [sent] = core.calls();
    core.say({ type: 'reply', id: sent!.id, result: { ok: true, value: 'late' } });
    expect(await call).toEqual({ ok: true, value: 'late' });
  });

  it('answers input the channel cannot carry as a malformed request, without losing the core', async () => {
    const { core, client } = await readyCore();
    expect(await client.registry.dispatch('settings.update', { n: 1n })).toEqual({
      ok: false,
      error: { kind: 'invalid_input', code: 'malformed_frame', params: { method: 'settings.update' } },
    });
    const next = client.registry.dispatch('settings.get', {});
    core.say({ type: 'reply', id: core.calls().at(-1)!.id, result: { ok: true, value: 1 } });
    expect(await next).toEqual({ ok: true, value: 1 });
  });

  it('closes by asking, and the end it reports was requested', async () => {
    const { core, client } = await readyCore();
    const closing = client.close();
    expect(core.sent.at(-1)).toEqual({ type: 'close' });
    expect(await client.registry.dispatch('settings.get', {})).toEqual(UNAVAILABLE);
    core.exit({ code: 0, signal: null });
    expect(await closing).toEqual({ code: 0, signal: null, requested: true });
    expect(core.kills()).toBe(0);
  });

  it('kills a core that does not close within its grace period', async () => {
    const core = scriptedCore();
    const client = connectCore(core.link, START, { logger: recordingLogger(), closeGraceMs: 1 });
    core.say({ type: 'ready', pid: 1 });
    await client.ready;
    core.link.kill = () => core.exit({ code: null, signal: 'SIGKILL' });
    expect(await client.close()).toEqual({ code: null, signal: 'SIGKILL', requested: true });
  });

  it('reads the core’s loop lag, and gets null once the core is gone', async () => {
    const { core, client } = await readyCore();
    const reading = client.loopLag('stop');
    const asked = core.sent.at(-1) as Extract<HostMessage, { type: 'lag' }>;
    expect(asked).toMatchObject({ type: 'lag', action: 'stop' });
    core.say({ type: 'lag', id: asked.id, lag: { p50Ms: 0.5, p99Ms: 3, maxMs: 9 } });
    expect(await reading).toEqual({ p50Ms: 0.5, p99Ms: 3, maxMs: 9 });
    const lost = client.loopLag('stop');
    core.exit({ code: 0, signal: null });
    expect(await lost).toBeNull();
  });
});
