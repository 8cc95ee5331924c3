import { afterEach, describe, expect, it } from 'vitest';
import { type OnlyFansSandbox, startOnlyFansSandbox } from '../../../main/messaging/sandbox/server';
import { createOnlyFansHttpTransport } from '../../../main/messaging/transports/onlyfans-http';
import { manualClock } from '../../../main/ports/clock';

const KEY = 'ofapi_sandbox_key';

describe('sandbox OnlyFans server', () => {
  let sandbox: OnlyFansSandbox | undefined;

  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  async function setup() {
    const clock = manualClock();
    sandbox = await startOnlyFansSandbox({ apiKey: KEY, clock });
    const sb = sandbox;
    const transportFor = (account: string) => createOnlyFansHttpTransport({ baseUrl: sb.url, apiKey: KEY, account, clock });
    return { sb, clock, transportFor };
  }

  async function sendOk(transport: ReturnType<typeof createOnlyFansHttpTransport>, clientRef: string) {
    const result = await transport.send({ chatId: 'fan-1', text: 'hello', clientRef });
    expect(result.ok).toBe(true);
  }

  it('listens on loopback only', async () => {
    const { sb } = await setup();
    expect(sb.url).toBe(`http://127.0.0.1:${sb.port}`);
  });

  it('records no violation for sends paced at 10 a minute, 6 s apart', async () => {
    const { sb, clock, transportFor } = await setup();
    const t = transportFor('anna');
    for (let i = 0; i < 30; i++) {
      await sendOk(t, `ref-${i}`);
      clock.advance(6_000);
    }
    expect(sb.messages('anna')).toHaveLength(30);
    expect(sb.violations()).toEqual([]);
  });

  it('records a min_interval violation for two sends under 3 s apart', async () => {
    const { sb, clock, transportFor } = await setup();
    const t = transportFor('anna');
    await sendOk(t, 'ref-1');
    clock.advance(2_999);
    await sendOk(t, 'ref-2');

    expect(sb.violations()).toEqual([
      { account: 'anna', clientRef: 'ref-2', rule: 'min_interval', observed: 2_999, limit: 3_000, atMonotonic: 2_999 },
    ]);
  });

  it('records a per_minute violation for the 11th send inside 60 s, even 3 s apart', async () => {
    const { sb, clock, transportFor } = await setup();
    const t = transportFor('anna');
    for (let i = 0; i < 11; i++) {
      await sendOk(t, `ref-${i}`);
      clock.advance(3_000);
    }
    expect(sb.violations()).toEqual([
      { account: 'anna', clientRef: 'ref-10', rule: 'per_minute', observed: 11, limit: 10, atMonotonic: 30_000 },
    ]);
  });

  it('judges each account on its own and honours per-account limits', async () => {
    const { sb, clock, transportFor } = await setup();
    sb.setLimits('bella', { perMinute: 2, minIntervalMs: 0 });
    const anna = transportFor('anna');
    const bella = transportFor('bella');
    // Same instant on two accounts: neither is too fast.
    await sendOk(anna, 'a-1');
    await sendOk(bella, 'b-1');
    expect(sb.violations()).toEqual([]);

    clock.advance(1_000);
    await sendOk(bella, 'b-2');
    expect(sb.violations()).toEqual([]);
    await sendOk(bella, 'b-3');
    expect(sb.violations().map((v) => [v.account, v.clientRef, v.rule])).toEqual([['bella', 'b-3', 'per_minute']]);
  });

  it('does not count refused sends against the pace', async () => {
    const { sb, clock, transportFor } = await setup();
    const t = transportFor('anna');
    sb.script('anna', [{ kind: 'rate_limit' }, { kind: 'server_error' }]);
    expect(await t.send({ chatId: 'fan-1', text: 'x', clientRef: 'r1' })).toMatchObject({ reason: 'rate_limited' });
    expect(await t.send({ chatId: 'fan-1', text: 'x', clientRef: 'r1' })).toMatchObject({ reason: 'server_error' });
    await sendOk(t, 'r1');
    clock.advance(3_000);
    await sendOk(t, 'r2');
    expect(sb.violations()).toEqual([]);
  });

  it('answers with a standing fault until it is cleared, scripted items first', async () => {
    const { sb, clock, transportFor } = await setup();
    const t = transportFor('anna');
    sb.setStandingFault('anna', { kind: 'server_error' });
    sb.script('anna', [{ kind: 'rate_limit' }]);
    const reasons = [];
    for (let i = 0; i < 3; i++) {
      const r = await t.send({ chatId: 'fan-1', text: 'x', clientRef: 'r1' });
      reasons.push(r.ok ? 'ok' : r.reason);
    }
    expect(reasons).toEqual(['rate_limited', 'server_error', 'server_error']);
    expect(await transportFor('bella').send({ chatId: 'fan-1', text: 'x', clientRef: 'b1' })).toMatchObject({ ok: true });
    sb.setStandingFault('anna', null);
    clock.advance(3_000);
    await sendOk(t, 'r1');
    expect(sb.messages('anna')).toHaveLength(1);
  });

  it('stores the same clientRef twice as two messages, so duplicates can be counted', async () => {
    const { sb, clock, transportFor } = await setup();
    const t = transportFor('anna');
    await sendOk(t, 'ref-dup');
    clock.advance(3_000);
    await sendOk(t, 'ref-dup');
    expect(sb.messages('anna').map((m) => m.clientRef)).toEqual(['ref-dup', 'ref-dup']);
    expect(new Set(sb.messages('anna').map((m) => m.id)).size).toBe(2);
  });

  it('answers malformed calls with 400 and a missing key with 401, storing nothing', async () => {
    const { sb } = await setup();
    const post = (body: string, auth = `Bearer ${KEY}`) =>
      fetch(`${sb.url}/api/anna/chats/fan-1/messages`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body });

    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ text: 'hi' }))).status).toBe(400);
    expect((await post(JSON.stringify({ text: 'hi', clientRef: 'r', extra: 1 }))).status).toBe(400);
    expect((await post(JSON.stringify({ text: 'hi', clientRef: 'r' }), '')).status).toBe(401);
    const lookup = await fetch(`${sb.url}/api/anna/messages`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(lookup.status).toBe(400);
    expect(sb.allMessages()).toEqual([]);
  });

  it('closes while a request is held by a timeout fault', async () => {
    const { sb } = await setup();
    sb.script('anna', [{ kind: 'timeout' }]);
    const pending = fetch(`${sb.url}/api/anna/chats/fan-1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi', clientRef: 'r' }),
    }).then(
      () => 'answered',
      () => 'cut',
    );
    // Yields to the event loop (no wall-clock wait) until the server is holding the request.
    for (let i = 0; i < 10_000 && sb.held() === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(sb.held()).toBe(1);
    await sb.close();
    expect(sb.held()).toBe(0);
    expect(await pending).toBe('cut');
  });

  it('forgets everything on reset', async () => {
    const { sb, clock, transportFor } = await setup();
    const t = transportFor('anna');
    await sendOk(t, 'r1');
    await sendOk(t, 'r2');
    sb.script('anna', [{ kind: 'server_error' }]);
    sb.reset();
    clock.advance(3_000);
    await sendOk(t, 'r3');
    expect(sb.messages('anna').map((m) => m.clientRef)).toEqual(['r3']);
    expect(sb.violations()).toEqual([]);
  });
});
