import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type OnlyFansSandbox, startOnlyFansSandbox } from '../../../main/messaging/sandbox/server';
import type { OutgoingMessage } from '../../../main/messaging/transport';
import { createOnlyFansHttpTransport, parseRetryAfter, TransportConfigError } from '../../../main/messaging/transports/onlyfans-http';
import { manualClock } from '../../../main/ports/clock';
import type { Logger } from '../../../main/ports/logger';

// Shaped like no known key format on purpose: only scrubbing by value can keep it out.
const KEY = 'ofapi_Zq83LmX7pW2';
const ACCOUNT = 'creator-anna';

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => lines.push(JSON.stringify({ level, msg, ...fields }));
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

const message = (clientRef: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  chatId: 'fan-42',
  text: 'Hey, thanks for subscribing!',
  clientRef,
  ...extra,
});

describe('OnlyFans HTTP transport against the sandbox server', () => {
  let sandbox: OnlyFansSandbox | undefined;

  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  async function setup(opts: { key?: string; timeoutMs?: number; accounts?: string[] } = {}) {
    const clock = manualClock();
    sandbox = await startOnlyFansSandbox({ apiKey: KEY, clock, accounts: opts.accounts, plan: { plan: 'agency-pro', perMinute: 120 } });
    const logger = capture();
    const transport = createOnlyFansHttpTransport({
      baseUrl: sandbox.url,
      apiKey: opts.key ?? KEY,
      account: ACCOUNT,
      clock,
      logger,
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
    return { sb: sandbox, transport, logger, clock };
  }

  it('sends text, a PPV price and media ids, and returns the id the platform gave', async () => {
    const { sb, transport } = await setup();
    const result = await transport.send(message('ref-1', { priceMicros: 4_990_000, mediaIds: ['m1', 'm2'] }));

    const stored = sb.messages(ACCOUNT);
    expect(stored).toHaveLength(1);
    expect(result).toEqual({ ok: true, remoteId: stored[0]!.id });
    expect(stored[0]).toMatchObject({ chatId: 'fan-42', text: 'Hey, thanks for subscribing!', priceMicros: 4_990_000, mediaIds: ['m1', 'm2'], clientRef: 'ref-1' });
  });

  it('surfaces a 429 Retry-After as retryAfterMs and stores nothing', async () => {
    const { sb, transport } = await setup();
    sb.script(ACCOUNT, [{ kind: 'rate_limit', retryAfterSeconds: 7 }]);

    const result = await transport.send(message('ref-1'));

    expect(result).toMatchObject({ ok: false, reason: 'rate_limited', retryAfterMs: 7000, maybeSent: false });
    expect(sb.messages(ACCOUNT)).toHaveLength(0);
  });

  it('maps a 500 to server_error, certain that nothing was sent', async () => {
    const { sb, transport } = await setup();
    sb.script(ACCOUNT, [{ kind: 'server_error' }]);
    expect(await transport.send(message('ref-1'))).toMatchObject({ ok: false, reason: 'server_error', maybeSent: false });
    expect(sb.messages(ACCOUNT)).toHaveLength(0);
  });

  it('gives up on a held request with timeout, flagged as possibly sent', async () => {
    const { sb, transport } = await setup({ timeoutMs: 150 });
    sb.script(ACCOUNT, [{ kind: 'timeout' }]);
    expect(await transport.send(message('ref-1'))).toMatchObject({ ok: false, reason: 'timeout', maybeSent: true });
  });

  it('reports accept-then-drop as dropped_after_send, and lookup then finds the message', async () => {
    const { sb, transport } = await setup();
    sb.script(ACCOUNT, [{ kind: 'accept_then_drop' }]);

    const result = await transport.send(message('ref-dropped'));

    expect(result).toMatchObject({ ok: false, reason: 'dropped_after_send', maybeSent: true });
    expect(sb.messages(ACCOUNT).map((m) => m.clientRef)).toEqual(['ref-dropped']);
    expect(await transport.lookup('ref-dropped')).toBe('sent');
    expect(await transport.lookup('ref-never-sent')).toBe('absent');
  });

  it('maps a 200 whose body is not the API JSON to invalid_reply, possibly sent', async () => {
    const { sb, transport } = await setup();
    sb.script(ACCOUNT, [{ kind: 'garbage_reply' }]);
    expect(await transport.send(message('ref-1'))).toMatchObject({ ok: false, reason: 'invalid_reply', maybeSent: true });
    expect(await transport.lookup('ref-1')).toBe('sent');
  });

  it('maps a bad key to unauthorized and never lets the key into details or logs', async () => {
    const wrong = 'ofapi_WRONGkey99';
    const { sb, transport, logger } = await setup({ key: wrong });

    const sent = await transport.send(message('ref-1'));
    const looked = await transport.lookup('ref-1');
    const tested = await transport.test();

    expect(sent).toMatchObject({ ok: false, reason: 'unauthorized', maybeSent: false });
    expect(looked).toBe('unknown');
    expect(tested).toMatchObject({ ok: false, reason: 'unauthorized' });
    // The sandbox quotes the key back, as real APIs do: the detail keeps the rest of the words.
    expect(!sent.ok && sent.detail).toContain('Invalid API key provided: [redacted key]');
    const everything = JSON.stringify([sent, tested, logger.lines]);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(wrong);
    expect(sb.messages(ACCOUNT)).toHaveLength(0);
  });

  it('keeps the key out of every detail and log line across all faults', async () => {
    const { sb, transport, logger } = await setup({ timeoutMs: 150 });
    sb.script(ACCOUNT, [
      { kind: 'rate_limit' },
      { kind: 'server_error' },
      { kind: 'timeout' },
      { kind: 'accept_then_drop' },
      { kind: 'garbage_reply' },
    ]);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await transport.send(message(`ref-${i}`)));

    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['rate_limited', 'server_error', 'timeout', 'dropped_after_send', 'invalid_reply']);
    expect(logger.lines).toHaveLength(5);
    expect(JSON.stringify([results, logger.lines])).not.toContain(KEY);
  });

  it('maps an account the API does not know to not_found', async () => {
    const { transport } = await setup({ accounts: ['someone-else'] });
    expect(await transport.send(message('ref-1'))).toMatchObject({ ok: false, reason: 'not_found', maybeSent: false });
  });

  it('refuses a malformed message as bad_request before anything leaves', async () => {
    const { sb, transport } = await setup();
    const result = await transport.send(message('ref-1', { text: '' }));
    expect(result).toMatchObject({ ok: false, reason: 'bad_request', maybeSent: false });
    expect(!result.ok && result.detail).toContain('text');
    expect(sb.messages(ACCOUNT)).toHaveLength(0);
  });

  it('reports a server that is not there as connection, certain that nothing was sent, and a lookup as unreachable (not unknown)', async () => {
    const { sb, transport } = await setup();
    await sb.close();

    expect(await transport.send(message('ref-1'))).toMatchObject({ ok: false, reason: 'connection', maybeSent: false });
    expect(await transport.lookup('ref-1')).toBe('unreachable');
    expect(await transport.test()).toMatchObject({ ok: false, reason: 'connection' });
  });

  it('reports a send the caller aborted as cancelled', async () => {
    const { sb, transport } = await setup();
    const controller = new AbortController();
    controller.abort();
    expect(await transport.send(message('ref-1'), controller.signal)).toMatchObject({ ok: false, reason: 'cancelled', maybeSent: false });
    expect(sb.messages(ACCOUNT)).toHaveLength(0);
  });

  it('reports an abort while the platform holds the request as cancelled, possibly sent', async () => {
    const { sb, transport } = await setup();
    sb.script(ACCOUNT, [{ kind: 'timeout' }]);
    const controller = new AbortController();
    const pending = transport.send(message('ref-1'), controller.signal);
    // Yields to the event loop (no wall-clock wait) until the server is holding the request.
    for (let i = 0; i < 10_000 && sb.held() === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, reason: 'cancelled', maybeSent: true });
  });

  it('leaves no listener behind on a long-lived caller signal', async () => {
    const { transport } = await setup();
    const controller = new AbortController();
    for (let i = 0; i < 5; i++) await transport.send(message(`ref-${i}`), controller.signal);
    await transport.lookup('ref-0', controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('tests the connection and returns the plan limits the API reports', async () => {
    const { transport } = await setup();
    expect(await transport.test()).toEqual({
      ok: true,
      limits: { plan: 'agency-pro', perMinute: 120, accountPerMinute: 10, accountMinIntervalMs: 3000 },
    });
  });

  it('rejects a bad configuration with a typed error that names the field, not the key', () => {
    const attempt = () => createOnlyFansHttpTransport({ baseUrl: 'ftp://example.com', apiKey: KEY, account: ACCOUNT });
    expect(attempt).toThrow(TransportConfigError);
    try {
      attempt();
    } catch (err) {
      expect((err as TransportConfigError).field).toBe('baseUrl');
      expect(String(err)).not.toContain(KEY);
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 12);
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now - 30_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
