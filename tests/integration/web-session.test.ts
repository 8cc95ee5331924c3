import { createServer, request } from 'node:http';
import { once } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type HostProcess, ROOT, startHostProcess } from '../support/web-process';
import { useTempDirs } from '../support/tmp';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw GET: no client-side decompression, so the bytes are what went over the wire. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const originOf = (host: HostProcess) => new URL(host.url).origin;
const tokenOf = (host: HostProcess) => new URLSearchParams(new URL(host.url).hash.slice(1)).get('token')!;

/** What a tab does before connecting: trade a credential for a ticket. */
async function askSession(host: HostProcess, credential: string): Promise<{ status: number; ticket?: string }> {
  const res = await get(`${originOf(host)}/session`, { authorization: `Bearer ${credential}` });
  return { status: res.status, ticket: res.status === 200 ? (JSON.parse(String(res.body)) as { ticket: string }).ticket : undefined };
}

/** Opens the socket with a credential: true once open, or the HTTP status that refused it. */
function openSocket(host: HostProcess, credential: string): Promise<true | number> {
  const origin = originOf(host);
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws?token=${encodeURIComponent(credential)}`, { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      resolve(true);
    });
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', reject);
  });
}

describe('browser host sessions across restarts (npm run start:web)', () => {
  const tempDir = useTempDirs();
  const hosts: HostProcess[] = [];
  const start = async (dataDir: string, args: string[] = []) => {
    const host = await startHostProcess(dataDir, args);
    hosts.push(host);
    return host;
  };
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.stop('SIGKILL');
  });

  it('comes back on the same port, and takes the ticket a tab got from the host before it', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const { status, ticket } = await askSession(first, tokenOf(first));
    expect(status).toBe(200);
    expect(await openSocket(first, ticket!)).toBe(true);
    await first.stop('SIGTERM');

    const second = await start(dataDir);
    expect(originOf(second)).toBe(originOf(first));
    // The old printed link is not reused: a new one is printed; the old token no longer opens anything.
    expect(tokenOf(second)).not.toBe(tokenOf(first));
    expect((await askSession(second, tokenOf(first))).status).toBe(401);
    expect(await openSocket(second, tokenOf(first))).toBe(401);
    const renewed = await askSession(second, ticket!);
    expect(renewed.status).toBe(200);
    expect(await openSocket(second, ticket!)).toBe(true);
    expect(await openSocket(second, renewed.ticket!)).toBe(true);
    // Nothing of the session key reaches the host's output.
    const key = readFileSync(join(dataDir, 'web-session.key'));
    expect(second.stdout() + second.stderr()).not.toContain(key.toString('base64url'));
    expect(statSync(join(dataDir, 'web-session.key')).mode & 0o077).toBe(0);
  });

  it('starts on another port when its last one is taken, and notes that one for next time', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const port = Number(new URL(first.url).port);
    await first.stop('SIGTERM');
    const squatter = createServer((_req, res) => res.end());
    squatter.listen(port, '127.0.0.1');
    await once(squatter, 'listening');
    try {
      const second = await start(dataDir);
      expect(Number(new URL(second.url).port)).not.toBe(port);
      expect((await askSession(second, tokenOf(second))).status).toBe(200);
      expect(readFileSync(join(dataDir, 'web-host.port'), 'utf8').trim()).toBe(new URL(second.url).port);
    } finally {
      squatter.close();
      await once(squatter, 'close');
    }
  });

  it('refuses a ticket from another data folder, and a forged or garbled one', async () => {
    const first = await start(tempDir());
    const { ticket } = await askSession(first, tokenOf(first));
    await first.stop('SIGTERM');

    const other = await start(tempDir(), ['--port', new URL(first.url).port]);
    expect(originOf(other)).toBe(originOf(first));
    expect((await askSession(other, ticket!)).status).toBe(401);
    expect(await openSocket(other, ticket!)).toBe(401);
    const [version, issued] = ticket!.split('.');
    expect((await askSession(other, `${version}.${issued}.${'A'.repeat(43)}`)).status).toBe(401);
    expect((await askSession(other, 'v1..')).status).toBe(401);
    expect((await get(`${originOf(other)}/session`)).status).toBe(401);
    // Its own printed token still works.
    expect((await askSession(other, tokenOf(other))).status).toBe(200);
  });

  it('serves scripts and styles compressed as the browser accepts, and the page itself plain', async () => {
    const host = await start(tempDir());
    const html = await get(`${originOf(host)}/`, { 'accept-encoding': 'gzip, br' });
    expect(html.headers['content-encoding']).toBeUndefined();
    const entry = /<script type="module" crossorigin src="\.\/(assets\/index-[\w-]+\.js)">/.exec(String(html.body))![1]!;
    const plain = await get(`${originOf(host)}/${entry}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');

    const br = await get(`${originOf(host)}/${entry}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gz = await get(`${originOf(host)}/${entry}`, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    // Asked again, the same bytes come from the cache the first answer filled.
    expect((await get(`${originOf(host)}/${entry}`, { 'accept-encoding': 'br' })).body.equals(br.body)).toBe(true);

    const css = /href="\.\/(assets\/index-[\w-]+\.css)"/.exec(String(html.body))![1]!;
    expect((await get(`${originOf(host)}/${css}`, { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBe('gzip');
  });
});

describe('the built renderer is split per page', () => {
  const dir = join(ROOT, 'out', 'renderer');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[\w-]+\.js)"/g)].map((m) => m[1]!);
  const assets = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'));
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');

  it('loads only the frame first: every page has its own chunk, and the chart library is in none of the first files', () => {
    for (const page of ['HomePage', 'HealthPage', 'CostsPage', 'RequestsPage', 'SettingsPage', 'PlaygroundPage', 'AlertsPage', 'CampaignPage']) {
      expect(assets.some((f) => f.startsWith(`${page}-`)), page).toBe(true);
      expect(initial.some((f) => f.includes(`/${page}-`)), page).toBe(false);
    }
    expect(initial.length).toBeGreaterThan(0);
    for (const file of initial) expect(read(file), file).not.toMatch(/uPlot/);
    const costs = assets.find((f) => f.startsWith('CostsPage-'))!;
    expect(read(`assets/${costs}`)).toMatch(/uPlot/);
    const size = (files: string[]) => files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    expect(size(initial)).toBeLessThan(size(assets.map((f) => `assets/${f}`)) * 0.85);
  });
});
