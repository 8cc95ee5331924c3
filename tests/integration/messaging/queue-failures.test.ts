import { describe, expect, it } from 'vitest';
import { startOnlyFansSandbox } from '../../../main/messaging/sandbox/server';
import { createOnlyFansHttpTransport } from '../../../main/messaging/transports/onlyfans-http';
import { startHoldingProxy } from '../../support/holding-proxy';
import { SANDBOX_KEY, type SendingStack as Stack, useSendingStacks } from '../../support/sending';

describe('send queue failures, reconciliation and offline (loopback OnlyFans sandbox)', () => {
  const { stack, defer } = useSendingStacks();
  const server = async (port?: number) => {
    const sb = await startOnlyFansSandbox({ apiKey: SANDBOX_KEY, ...(port ? { port } : {}) });
    defer(() => sb.close());
    return sb;
  };
  const count = (s: Stack, account: string, clientRef: string) => s.server.messages(account).filter((m) => m.clientRef === clientRef).length;
  /** A running stack whose one send on `name` met a 429 with this Retry-After and waits in the queue behind it. */
  const rateLimited = async (name: string, retryAfterSeconds: number) => {
    const s = await stack();
    const a = await s.addAccount(name);
    s.server.script(name, [{ kind: 'rate_limit', retryAfterSeconds }]);
    const send = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: `to ${name}` });
    await s.queue.start();
    await s.until(() => s.queue.get(send.id)!.reason === 'rate_limited');
    return { s, a, send };
  };
  /** A stack with two sends on `name` as a kill -9 mid-send leaves them: both in `sending`, one attempt made. */
  const killedMidSend = async (name: string, [one, two]: [string, string]) => {
    const s = await stack();
    const a = await s.addAccount(name);
    const first = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: one });
    const second = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: two });
    s.db.prepare(`UPDATE sends SET state = 'sending', attempts = 1, via = 'api'`).run();
    return { s, a, first, second };
  };

  it('honours 429 Retry-After as a floor for the account, counts it as throttled, then sends', async () => {
    const { s, a, send } = await rateLimited('anna', 1);
    const waiting = s.queue.get(send.id)!;
    expect(waiting).toMatchObject({ state: 'queued', attempts: 1 });
    expect(waiting.notBefore! - waiting.updatedAt).toBeGreaterThanOrEqual(1000);
    const [during] = s.queue.stats(a.id);
    expect(during).toMatchObject({ throttled: 1, limitedBy: 'platform', lastError: { reason: 'rate_limited' } });
    expect(during!.nextSlotAt).toBeGreaterThanOrEqual(waiting.updatedAt + 1000);
    await s.queue.idle();
    expect(s.queue.get(send.id)).toMatchObject({ state: 'sent', attempts: 2, reason: null });
    expect(s.server.messages('anna')).toHaveLength(1);
    expect(s.queue.stats(a.id)[0]).toMatchObject({ throttled: 1, sentLastMinute: 1 });
  });

  it('a Retry-After and the last error outlive a restart', async () => {
    const { s, a, send } = await rateLimited('iris', 600);
    const notBefore = s.queue.get(send.id)!.notBefore!;
    await s.queue.stop();

    s.restart();
    await s.queue.start();
    expect(s.queue.stats(a.id)[0]).toMatchObject({ limitedBy: 'platform', nextSlotAt: notBefore, lastError: { reason: 'rate_limited' }, throttled: 1, queued: 1 });
    expect(s.server.messages('iris')).toEqual([]);
  });

  it('retries a 500 after a backoff and sends once; fails attempts_exhausted when it keeps failing', async () => {
    const s = await stack({ queue: { maxAttempts: 3 } });
    const a = await s.addAccount('bella');
    const b = await s.addAccount('bella-down');
    s.server.script('bella', [{ kind: 'server_error' }]);
    s.server.setStandingFault('bella-down', { kind: 'server_error' });
    const once = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'retry me' });
    const never = s.queue.enqueue({ accountId: b.id, chatId: 'f', text: 'never' });
    await s.queue.start();
    await s.queue.idle();
    expect(s.queue.get(once.id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(s.events.filter((e) => e.id === once.id).map((e) => [e.state, e.reason])).toEqual([
      ['queued', null], ['sending', null], ['queued', 'server_error'], ['sending', 'server_error'], ['sent', null],
    ]);
    expect(s.queue.get(never.id)).toMatchObject({ state: 'failed', reason: 'attempts_exhausted', attempts: 3 });
    // A retry by the operator gives a fresh budget.
    s.server.setStandingFault('bella-down', null);
    expect(s.queue.retry(never.id)).toMatchObject({ state: 'queued' });
    await s.queue.idle();
    expect(s.queue.get(never.id)).toMatchObject({ state: 'sent', attempts: 4 });
    expect(s.server.messages('bella-down').map((m) => m.clientRef)).toEqual([never.id]);
  });

  it('fails at once on unauthorized, sending nothing', async () => {
    const sb = await server();
    const s = await stack({
      server: sb,
      queue: { transportFor: (acc) => createOnlyFansHttpTransport({ baseUrl: sb.url, apiKey: 'wrong-key', account: acc.platformAccountId }) },
    });
    const a = await s.addAccount('cara');
    const send = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'hi' });
    await s.queue.start();
    await s.queue.idle();
    expect(s.queue.get(send.id)).toMatchObject({ state: 'failed', reason: 'unauthorized', attempts: 1 });
    expect(sb.allMessages()).toEqual([]);
    expect(s.queue.stats(a.id)[0]).toMatchObject({ failed: 1, lastError: { reason: 'unauthorized' } });
  });

  it('accept_then_drop: the lookup finds the message, so it is marked sent and never sent again', async () => {
    const s = await stack();
    const a = await s.addAccount('dana');
    s.server.script('dana', [{ kind: 'accept_then_drop' }]);
    const send = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'dropped reply' });
    const next = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'next' });
    await s.queue.start();
    await s.queue.idle();
    expect(s.queue.get(send.id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(count(s, 'dana', send.id)).toBe(1);
    expect(count(s, 'dana', next.id)).toBe(1);
    expect(s.server.violations()).toEqual([]);
  });

  it('after a restart, a send left in `sending` is reconciled: found → sent; absent → requeued and sent once', async () => {
    const { s, first: went, second: stayed } = await killedMidSend('erin', ['went out before the kill', 'never left']);
    // Of the two the kill left in `sending`, one reached the platform.
    const direct = createOnlyFansHttpTransport({ baseUrl: s.server.url, apiKey: SANDBOX_KEY, account: 'erin' });
    expect(await direct.send({ chatId: 'f', text: went.text, clientRef: went.id })).toMatchObject({ ok: true });

    s.restart();
    await s.queue.start();
    await s.queue.idle();
    expect(s.queue.get(went.id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(s.queue.get(stayed.id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(count(s, 'erin', went.id)).toBe(1);
    expect(count(s, 'erin', stayed.id)).toBe(1);
  });

  it('marks `unknown` when the platform answers the lookup but not plainly; the operator resolves it as sent or resend', async () => {
    const { s, a, first: sentByHand, second: resend } = await killedMidSend('fay', ['mark me sent', 'send me again']);
    // The platform answers the lookup with an error (here 401): nobody can say whether the two went out.
    s.restart({ transportFor: (acc) => createOnlyFansHttpTransport({ baseUrl: s.server.url, apiKey: 'revoked-key', account: acc.platformAccountId }) });
    await s.queue.start();
    expect(s.queue.get(sentByHand.id)).toMatchObject({ state: 'unknown' });
    expect(s.queue.get(resend.id)).toMatchObject({ state: 'unknown' });
    expect(s.queue.stats(a.id)[0]).toMatchObject({ unknown: 2, offline: false });
    await s.queue.stop();

    s.restart();
    await s.queue.start();
    expect(s.queue.resolve(sentByHand.id, 'sent')).toMatchObject({ state: 'sent' });
    expect(s.queue.resolve(resend.id, 'resend')).toMatchObject({ state: 'queued' });
    expect(() => s.queue.resolve(resend.id, 'sent')).toThrow(expect.objectContaining({ code: 'send_state' }));
    await s.queue.idle();
    expect(s.queue.get(resend.id)).toMatchObject({ state: 'sent', attempts: 2 });
    // Only the resend went out, under a fresh client reference; the one marked sent was not sent again.
    expect(s.server.allMessages().map((m) => m.text)).toEqual(['send me again']);
    expect(s.server.allMessages()[0]!.clientRef).not.toBe(resend.id);
  });

  /** The platform as the queue reaches it: a forwarding proxy on a fixed port, so it can go down and come back while the server keeps its memory. */
  const platformPort = async (s: Stack) => {
    const probe = await startHoldingProxy(s.server.url, () => 'forward');
    await probe.close();
    const port = probe.port;
    return {
      port,
      transportFor: (acc: { platformAccountId: string }) =>
        createOnlyFansHttpTransport({ baseUrl: `http://127.0.0.1:${port}`, apiKey: SANDBOX_KEY, account: acc.platformAccountId, timeoutMs: 2_000 }),
      async up(decide: Parameters<typeof startHoldingProxy>[1] = () => 'forward') {
        const proxy = await startHoldingProxy(s.server.url, decide, { port });
        defer(() => proxy.close());
        return proxy;
      },
    };
  };

  it('restart with the platform down: the rows stay `sending`, the account offline; once it answers they are looked up and go exactly once, none `unknown`', async () => {
    const s = await stack();
    const a = await s.addAccount('jade');
    const went = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'went out before the kill' });
    const stayed = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'never left' });
    const queued = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'still queued' });
    // What a kill -9 mid-send leaves: two rows in `sending`, one of them on the platform.
    s.db.prepare(`UPDATE sends SET state = 'sending', attempts = 1, via = 'api' WHERE id IN (?, ?)`).run(went.id, stayed.id);
    const direct = createOnlyFansHttpTransport({ baseUrl: s.server.url, apiKey: SANDBOX_KEY, account: 'jade' });
    expect(await direct.send({ chatId: 'f', text: went.text, clientRef: went.id })).toMatchObject({ ok: true });
    const platform = await platformPort(s);

    s.restart({ transportFor: platform.transportFor });
    await s.queue.start();
    expect([went, stayed, queued].map((x) => s.queue.get(x.id)!.state)).toEqual(['sending', 'sending', 'queued']);
    expect(s.queue.stats(a.id)[0]).toMatchObject({ offline: true, sending: 2, unknown: 0 });
    await s.queue.idle();
    expect(s.server.messages('jade').map((m) => m.clientRef)).toEqual([went.id]);

    await platform.up();
    await s.until(() => [went, stayed, queued].every((x) => s.queue.get(x.id)!.state === 'sent'));
    expect(s.queue.get(went.id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(s.queue.get(stayed.id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(s.server.messages('jade').map((m) => m.clientRef)).toEqual([went.id, stayed.id, queued.id]);
    expect(s.events.some((e) => e.state === 'unknown')).toBe(false);
    expect(s.queue.stats(a.id)[0]).toMatchObject({ offline: false, unknown: 0 });
  });

  it('a send that may have left while the platform went down stays `sending` until a lookup answers, then counts once', async () => {
    const s = await stack();
    const a = await s.addAccount('kira');
    const platform = await platformPort(s);
    s.restart({ transportFor: platform.transportFor });
    let stored!: () => void;
    const reachedServer = new Promise<void>((resolve) => (stored = resolve));
    let holds = 0;
    // The first send reaches the server and is stored; its reply is held, then the platform vanishes.
    const proxy = await platform.up((req) =>
      req.method === 'POST' && holds++ === 0 ? { hold: 'after_upstream', until: () => (stored(), new Promise<void>(() => {})) } : 'forward',
    );
    await s.queue.start();
    const first = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'may have left' });
    const second = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'after it' });
    await reachedServer;
    await proxy.close();
    await s.until(() => s.queue.stats(a.id)[0]!.offline);
    await s.queue.idle();
    expect(s.queue.get(first.id)).toMatchObject({ state: 'sending', attempts: 1 });
    expect(s.queue.get(second.id)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(s.server.messages('kira').map((m) => m.clientRef)).toEqual([first.id]);

    await platform.up();
    await s.until(() => [first, second].every((x) => s.queue.get(x.id)!.state === 'sent'));
    expect(s.queue.get(first.id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(s.server.messages('kira').map((m) => m.clientRef)).toEqual([first.id, second.id]);
    expect(s.events.some((e) => e.state === 'unknown')).toBe(false);
  });

  it('offline: sends wait without using attempts, and go by themselves once the server answers again', async () => {
    const first = await server();
    const port = first.port;
    const s = await stack({ server: first });
    const a = await s.addAccount('gina');
    await s.queue.start();
    await first.close();
    const sends = [1, 2].map((n) => s.queue.enqueue({ accountId: a.id, chatId: 'f', text: `while offline ${n}` }));
    await s.until(() => s.queue.stats(a.id)[0]!.offline);
    expect(s.changes).toContainEqual({ accountId: a.id, jobId: null });
    await s.queue.idle();
    expect(sends.map((x) => s.queue.get(x.id)!)).toMatchObject([
      { state: 'queued', attempts: 0, reason: 'connection' },
      { state: 'queued', attempts: 0 },
    ]);

    const back = await server(port);
    back.setLimits('gina', { perMinute: 600, minIntervalMs: 40 });
    await s.until(() => sends.every((x) => s.queue.get(x.id)!.state === 'sent'));
    expect(s.queue.stats(a.id)[0]).toMatchObject({ offline: false });
    expect(back.messages('gina').map((m) => m.clientRef)).toEqual(sends.map((x) => x.id));
    expect(back.violations()).toEqual([]);
  });
  it('stop() aborts a hung send after its bound; the next start reconciles it and it goes exactly once', async () => {
    const s = await stack({ queue: { stopTimeoutMs: 50 } });
    const a = await s.addAccount('hana');
    // The server holds the request unanswered (and stores nothing) until the client gives up.
    s.server.script('hana', [{ kind: 'timeout' }]);
    const send = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'hung' });
    await s.queue.start();
    await s.until(() => s.events.some((e) => e.id === send.id && e.state === 'sending'));
    await s.queue.stop();
    // Either still `sending` (the body may have left: the next start asks) or back in the queue (it never left).
    expect(['sending', 'queued']).toContain(s.queue.get(send.id)!.state);
    expect(s.server.messages('hana')).toEqual([]);

    s.restart();
    await s.queue.start();
    await s.queue.idle();
    expect(s.queue.get(send.id)).toMatchObject({ state: 'sent' });
    expect(count(s, 'hana', send.id)).toBe(1);
  });
});
