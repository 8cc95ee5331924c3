import { afterEach, describe, expect, it } from 'vitest';
import { startOnlyFansSandbox } from '../../main/messaging/sandbox/server';
import { startSandbox } from '../../main/sandbox/server';

/** Both loopback sandboxes read bodies through one bounded reader: too much is refused, and they keep serving. */
describe('sandbox request bodies', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }).then(async (r) => ({ status: r.status, body: await r.text() }));

  it('the AI sandbox answers 413 past its limit, then serves the next request', async () => {
    const sb = await startSandbox();
    closers.push(() => sb.close());
    const url = `${sb.openaiBaseURL}/chat/completions`;
    const huge = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat((8 << 20) + 10) }] });
    expect((await post(url, huge, { authorization: 'Bearer k' })).status).toBe(413);
    const ok = await post(url, JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }), { authorization: 'Bearer k' });
    expect(ok.status).toBe(200);
  });

  it('the OnlyFans sandbox answers 413 past its limit, stores nothing, then serves the next request', async () => {
    const sb = await startOnlyFansSandbox({ apiKey: 'key-1' });
    closers.push(() => sb.close());
    const url = `${sb.url}/api/acct-1/chats/fan-1/messages`;
    const auth = { authorization: 'Bearer key-1' };
    expect((await post(url, JSON.stringify({ text: 'x'.repeat((256 << 10) + 10), clientRef: 'r-1' }), auth)).status).toBe(413);
    expect(sb.messages('acct-1')).toEqual([]);
    expect((await post(url, JSON.stringify({ text: 'hello', clientRef: 'r-2' }), auth)).status).toBe(200);
    expect(sb.messages('acct-1').map((m) => m.clientRef)).toEqual(['r-2']);
  });
});
