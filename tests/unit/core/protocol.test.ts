import { describe, expect, it } from 'vitest';
import { coreMessageSchema, hostMessageSchema, idOf } from '../../../main/core/protocol';

const accepts = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;

describe('the core protocol’s messages', () => {
  it('accepts what a host sends and refuses anything else', () => {
    expect(accepts(hostMessageSchema, { type: 'start', options: { dataDir: '/d', host: 'web', echoLogs: true } })).toBe(true);
    expect(accepts(hostMessageSchema, { type: 'start', options: { dataDir: '/d', host: 'electron', echoLogs: false, nativeBinding: '/b.node' } })).toBe(true);
    expect(accepts(hostMessageSchema, { type: 'call', id: 0, method: 7, input: undefined })).toBe(true);
    expect(accepts(hostMessageSchema, { type: 'close' })).toBe(true);
    expect(accepts(hostMessageSchema, { type: 'lag', id: 3, action: 'start' })).toBe(true);

    expect(accepts(hostMessageSchema, { type: 'start', options: { dataDir: '', host: 'web', echoLogs: true } })).toBe(false);
    expect(accepts(hostMessageSchema, { type: 'start', options: { dataDir: '/d', host: 'mobile', echoLogs: true } })).toBe(false);
    // Start options are strict: nothing unplanned (a secret, say) rides along into the core.
    expect(accepts(hostMessageSchema, { type: 'start', options: { dataDir: '/d', host: 'web', echoLogs: true, apiKey: 'x' } })).toBe(false);
    expect(accepts(hostMessageSchema, { type: 'call', id: -1, method: 'a', input: {} })).toBe(false);
    expect(accepts(hostMessageSchema, { type: 'call', id: 1.5, method: 'a', input: {} })).toBe(false);
    expect(accepts(hostMessageSchema, { type: 'lag', id: 1, action: 'reset' })).toBe(false);
    expect(accepts(hostMessageSchema, { type: 'eval', code: '1' })).toBe(false);
    expect(accepts(hostMessageSchema, 'close')).toBe(false);
  });

  it('accepts what a core sends and refuses anything else', () => {
    expect(accepts(coreMessageSchema, { type: 'ready', pid: 12 })).toBe(true);
    expect(accepts(coreMessageSchema, { type: 'fatal', code: 'db_open', message: 'damaged' })).toBe(true);
    expect(accepts(coreMessageSchema, { type: 'reply', id: 1, result: { ok: true, value: { any: 'thing' } } })).toBe(true);
    expect(accepts(coreMessageSchema, { type: 'reply', id: 1, result: { ok: false, error: { kind: 'not_found', code: 'internal', params: {} } } })).toBe(true);
    expect(accepts(coreMessageSchema, { type: 'event', event: 'settings.changed', payload: {} })).toBe(true);
    expect(accepts(coreMessageSchema, { type: 'lag', id: 1, lag: null })).toBe(true);
    expect(accepts(coreMessageSchema, { type: 'closed' })).toBe(true);

    expect(accepts(coreMessageSchema, { type: 'ready', pid: 0 })).toBe(false);
    expect(accepts(coreMessageSchema, { type: 'fatal', code: 'oops', message: 'x' })).toBe(false);
    expect(accepts(coreMessageSchema, { type: 'fatal', code: 'startup', message: 'x'.repeat(5000) })).toBe(false);
    // Errors keep to the closed lists of kinds and codes, so the renderer can always word them.
    expect(accepts(coreMessageSchema, { type: 'reply', id: 1, result: { ok: false, error: { kind: 'boom', code: 'internal', params: {} } } })).toBe(false);
    expect(accepts(coreMessageSchema, { type: 'reply', id: 1, result: { ok: false, error: { kind: 'internal', code: 'Something broke', params: {} } } })).toBe(false);
    expect(accepts(coreMessageSchema, { type: 'reply', id: 1, result: { value: 1 } })).toBe(false);
    expect(accepts(coreMessageSchema, { type: 'event', event: 'not.in.contract', payload: {} })).toBe(false);
    expect(accepts(coreMessageSchema, { type: 'lag', id: 1, lag: { p50Ms: -1, p99Ms: 0, maxMs: 0 } })).toBe(false);
  });

  it('finds the id of a broken message only when it is a valid id', () => {
    expect(idOf({ type: 'reply', id: 4 })).toBe(4);
    expect(idOf({ id: -1 })).toBeUndefined();
    expect(idOf({ id: '4' })).toBeUndefined();
    expect(idOf(null)).toBeUndefined();
    expect(idOf('x')).toBeUndefined();
  });
});
