/**
 * A loopback HTTP proxy in front of the sandbox OnlyFans server that lets a test decide, per
 * request, to let it through, to hold it before the server sees it, or to hold the server's reply
 * after the server stored the message. A kill while a request is held lands exactly inside a
 * send's crash window (`sending` committed, outcome not), which a kill timed by stdout lines alone
 * would only hit by luck: the round trip on loopback takes about a millisecond.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** Path and query, as the client sent them. */
  url: string;
  body: string;
}

export type Verdict =
  /** Forward it and relay the reply. */
  | 'forward'
  /**
   * `before_upstream`: never forward it; `after_upstream`: forward it and read the whole reply.
   * Either way `until` runs next, then the client's socket is destroyed without a reply.
   */
  | { hold: 'before_upstream' | 'after_upstream'; until: () => Promise<void> }
  /** Hold it before the server sees it until `delay` settles, then forward it and relay the reply: a late arrival. */
  | { delay: () => Promise<void> };

export interface HoldingProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

// Loopback only, like the server it fronts.
const BIND_ADDRESS = '127.0.0.1';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function forward(upstream: URL, req: IncomingMessage, body: string): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

/** `port`: listen there (a platform coming back where it was); default any free port. */
export async function startHoldingProxy(upstreamUrl: string, decide: (req: ProxiedRequest) => Verdict, options: { port?: number } = {}): Promise<HoldingProxy> {
  const upstream = new URL(upstreamUrl);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const verdict = decide({ method: req.method ?? 'GET', url: req.url ?? '/', body });
    if (verdict !== 'forward' && 'delay' in verdict) await verdict.delay();
    else if (verdict !== 'forward' && verdict.hold === 'before_upstream') {
      await verdict.until();
      res.destroy();
      return;
    } else if (verdict !== 'forward') {
      // A fault that drops the line (accept_then_drop) still ends the hold: the server has spoken.
      await forward(upstream, req, body).catch(() => null);
      await verdict.until();
      res.destroy();
      return;
    }
    const reply = await forward(upstream, req, body);
    const headers = { ...reply.headers };
    delete headers['transfer-encoding'];
    res.writeHead(reply.status, { ...headers, 'content-length': String(reply.body.length) });
    res.end(reply.body);
  }

  const server = createServer((req, res) => {
    // A client killed mid-request resets its sockets; that is the point of the exercise, not an error.
    req.on('error', () => {});
    res.on('error', () => {});
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, BIND_ADDRESS, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${BIND_ADDRESS}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
