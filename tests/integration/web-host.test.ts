import { once } from 'node:events';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useWebHosts } from '../support/web-host';
import { systemTimeZone } from '../../shared/settings';

function get(port: number, path: string, host = `127.0.0.1:${port}`) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket and resolves with it once open, or with the HTTP status that refused it. */
function connect(url: string, origin: string): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, frame: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.type === 'reply') {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('browser host', () => {
  const startHost = useWebHosts();
  const sockets: WebSocket[] = [];

  afterEach(() => {
    for (const ws of sockets.splice(0)) ws.terminate();
  });

  const start = () => startHost();

  it('binds to loopback and prints a URL carrying the token in its fragment', async () => {
    const { host } = await start();
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the renderer with a strict CSP, falls back to index.html and refuses traversal', async () => {
    const { host } = await start();
    const index = await get(host.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect((await get(host.port, '/settings')).body).toContain('<title>Huntaze</title>');
    expect((await get(host.port, '/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await get(host.port, '/assets/missing.js')).status).toBe(404);
    expect((await get(host.port, '/..%2f..%2fetc%2fpasswd.js')).status).toBe(403);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const { host } = await start();
    expect((await get(host.port, '/', `evil.example:${host.port}`)).status).toBe(421);
  });

  it('refuses a socket without the token, with a wrong token, or from another origin', async () => {
    const { host, origin, socketUrl } = await start();
    expect(await connect(`ws://127.0.0.1:${host.port}/ws`, origin)).toBe(401);
    expect(await connect(`ws://127.0.0.1:${host.port}/ws?token=${'x'.repeat(host.token.length)}`, origin)).toBe(401);
    expect(await connect(socketUrl, 'http://evil.example')).toBe(403);
    expect(await connect(`ws://127.0.0.1:${host.port}/other?token=${host.token}`, origin)).toBe(404);
  });

  it('carries the contract: replies, typed errors, and pushed events', async () => {
    const { origin, socketUrl } = await start();
    const a = (await connect(socketUrl, origin)) as WebSocket;
    const b = (await connect(socketUrl, origin)) as WebSocket;
    sockets.push(a, b);

    expect(await call(a, { id: 1, method: 'settings.get', input: {} })).toEqual({
      type: 'reply',
      id: 1,
      result: { ok: true, value: { operatorName: 'Operator', theme: 'system', language: 'en', sandboxMode: false, timeZone: systemTimeZone() } },
    });
    expect(await call(a, { id: 2, method: 'settings.update', input: { theme: 'plaid' } })).toMatchObject({
      id: 2,
      result: { ok: false, error: { kind: 'invalid_input' } },
    });
    expect(await call(a, { id: 3, method: 'nope', input: {} })).toMatchObject({ id: 3, result: { ok: false, error: { kind: 'unknown_method' } } });
    expect(await call(a, { id: 4, method: 7 })).toMatchObject({ id: 4, result: { ok: false, error: { kind: 'invalid_input' } } });

    const pushed = once(b, 'message');
    await call(a, { id: 5, method: 'settings.update', input: { theme: 'dark' } });
    const [data] = await pushed;
    expect(JSON.parse(String(data))).toEqual({
      type: 'event',
      event: 'settings.changed',
      payload: { operatorName: 'Operator', theme: 'dark', language: 'en', sandboxMode: false, timeZone: systemTimeZone() },
    });
  });

  it('closes a socket that sends something other than JSON', async () => {
    const { origin, socketUrl } = await start();
    const ws = (await connect(socketUrl, origin)) as WebSocket;
    sockets.push(ws);
    const closed = once(ws, 'close');
    ws.send('{not json');
    const [code] = await closed;
    expect(code).toBe(1007);
  });
});
