import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  createClient,
  eventNames,
  events,
  methodNames,
  methods,
  parseReply,
  TransportError,
  type Transport,
} from '../../shared/contract';
import { ERROR_KINDS } from '../../shared/result';

describe('contract', () => {
  it('names the first methods and events', () => {
    expect(methodNames).toEqual(expect.arrayContaining(['app.info', 'health.get', 'settings.get', 'settings.update', 'ai.complete', 'metrics.orchestrator']));
    expect(eventNames).toEqual(expect.arrayContaining(['settings.changed', 'providers.changed', 'routing.changed', 'sandbox.changed', 'alert.fired', 'alert.open', 'costs.updated', 'costs.rebuild']));
  });

  it('gives every method an input and an output schema', () => {
    for (const name of methodNames) {
      expect(methods[name].input.safeParse).toBeTypeOf('function');
      expect(methods[name].output.safeParse).toBeTypeOf('function');
    }
  });

  it('uses distinct channel names', () => {
    expect(new Set(Object.values(CHANNELS)).size).toBe(Object.values(CHANNELS).length);
  });

  it('closes the list of error kinds', () => {
    expect(ERROR_KINDS).toContain('invalid_input');
    expect(ERROR_KINDS).toContain('internal');
  });

  it('parses good replies and turns malformed ones into an internal error', () => {
    const good = { ok: true, value: { operatorName: 'Ana', theme: 'dark', language: 'fr', sandboxMode: false, timeZone: 'UTC' } };
    expect(parseReply('settings.get', good)).toEqual(good);
    const failure = { ok: false, error: { kind: 'conflict', code: 'sandbox_off', params: {} } };
    expect(parseReply('settings.get', failure)).toEqual(failure);
    expect(parseReply('settings.get', { ok: true, value: { theme: 'pink' } })).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(parseReply('settings.get', { ok: false, error: { kind: 'conflict', code: 'an English sentence', params: {} } })).toMatchObject({ ok: false, error: { kind: 'internal' } });
  });
});

describe('createClient', () => {
  const fakeTransport = (reply: (method: string, input: unknown) => Promise<unknown>) => {
    const listeners = new Set<(e: string, p: unknown) => void>();
    const transport: Transport = {
      invoke: reply,
      subscribe(l) {
        listeners.add(l);
        return () => void listeners.delete(l);
      },
    };
    return { transport, push: (e: string, p: unknown) => listeners.forEach((l) => l(e, p)) };
  };

  it('passes method and input through and parses the reply', async () => {
    const seen: unknown[] = [];
    const { transport } = fakeTransport(async (method, input) => {
      seen.push([method, input]);
      return { ok: true, value: { operatorName: 'Ana', theme: 'light', language: 'en', sandboxMode: false, timeZone: 'UTC' } };
    });
    const result = await createClient(transport).call('settings.update', { theme: 'light' });
    expect(seen).toEqual([['settings.update', { theme: 'light' }]]);
    expect(result).toEqual({ ok: true, value: { operatorName: 'Ana', theme: 'light', language: 'en', sandboxMode: false, timeZone: 'UTC' } });
  });

  it('reports a transport that fails as unavailable, with a code saying how, instead of throwing', async () => {
    const lost = fakeTransport(async () => {
      throw new TransportError('connection_lost');
    });
    expect(await createClient(lost.transport).call('health.get', {})).toEqual({
      ok: false,
      error: { kind: 'unavailable', code: 'connection_lost', params: { method: 'health.get' } },
    });
    const broken = fakeTransport(async () => {
      throw new Error('socket closed');
    });
    expect(await createClient(broken.transport).call('health.get', {})).toEqual({
      ok: false,
      error: { kind: 'unavailable', code: 'host_unreachable', params: { method: 'health.get' } },
    });
  });

  it('delivers only valid payloads of the subscribed event', () => {
    const { transport, push } = fakeTransport(async () => null);
    const got: unknown[] = [];
    const off = createClient(transport).on('settings.changed', (s) => got.push(s));
    const valid = { operatorName: 'Ana', theme: 'dark', language: 'fr', sandboxMode: false, timeZone: 'UTC' };
    push('settings.changed', valid);
    push('settings.changed', { theme: 'neon' });
    push('other.event', valid);
    off();
    push('settings.changed', valid);
    expect(got).toEqual([valid]);
    expect(Object.keys(events)).toContain('settings.changed');
  });
});
