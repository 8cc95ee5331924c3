import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { WEB, type WireServerFrame, wireRequestSchema } from '../../shared/contract';
import { MAX_FRAME_BYTES } from '../../shared/limits';
import { fail } from '../../shared/result';
import type { CoreApi } from '../core/api';
import { type Clock, systemClock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Notice } from '../ports/notifier';
import { mintTicket, type SessionKey, verifyTicket } from './session';
import { serveStatic } from './static';

export interface WebHostOptions {
  /** The core: in this process (tests) or the remote core process (`npm run start:web`). */
  services: CoreApi;
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  token?: string;
  /**
   * The data folder's session key (main/web/session.ts): tickets made with it let an open tab
   * reconnect to any later host on the same folder. Without one, tickets last as long as this host.
   */
  sessionKey?: SessionKey;
  clock?: Clock;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  /**
   * Shows an alert on every open page (a toast, and a browser notification where allowed): the
   * core's `notify` port under `npm run start:web`. False when no page is open to show it.
   */
  notify(notice: Notice): boolean;
  close(): Promise<void>;
}

// Loopback only, by design: the browser host must never be reachable from the network.
const BIND_ADDRESS = '127.0.0.1';
// A tab that does not answer a close this fast is cut off: stopping must never hang on one.
const CLOSE_GRACE_MS = 1_000;

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Closes politely, so replies already queued (e.g. `unavailable` for calls a dead core left) reach the tab first. */
function closeGently(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(1001, 'host stopping');
  });
}

function reject(socket: Duplex, status: number, reason: string) {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const sessionKey = options.sessionKey ?? (randomBytes(32) as SessionKey);
  const clock = options.clock ?? systemClock;
  // The printed link's token, or a ticket this folder's key made for a tab that held one earlier.
  const authorized = (credential: string) => sameSecret(credential, token) || verifyTicket(sessionKey, credential, clock.now());
  const { registry, events } = options.services;
  let port = options.port;
  // DNS rebinding: a page on another name that resolves to 127.0.0.1 must not be served.
  const allowedHosts = () => new Set([`${BIND_ADDRESS}:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([...allowedHosts()].map((h) => `http://${h}`));

  const server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421).end('Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === WEB.sessionPath) {
      // A tab asks before it opens its socket: 401 means this host serves other data (or its link
      // is stale), no answer means no host. Another site cannot ask: the header forces a preflight.
      const credential = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const headers = { 'Cache-Control': 'no-store', 'Content-Type': 'application/json; charset=utf-8' };
      if (!authorized(credential)) {
        res.writeHead(401, headers).end('{}');
        return;
      }
      res.writeHead(200, headers).end(JSON.stringify({ ticket: mintTicket(sessionKey, clock.now()) }));
      return;
    }
    void serveStatic(options.rendererDir, path, res, req.headers['accept-encoding']);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the raw socket over without an error listener: a reset here must not end the process.
    const onHandshakeError = (err: Error) => options.logger.warn('web host: a socket failed during the handshake', { error: err.message });
    socket.on('error', onHandshakeError);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== WEB.socketPath) return reject(socket, 404, 'Not Found');
    if (!allowedHosts().has(req.headers.host ?? '') || !allowedOrigins().has(req.headers.origin ?? '')) {
      options.logger.warn('web host: refused a socket from a foreign origin', { origin: req.headers.origin ?? null });
      return reject(socket, 403, 'Forbidden');
    }
    if (!authorized(url.searchParams.get(WEB.tokenParam) ?? '')) {
      options.logger.warn('web host: refused a socket without the session token');
      return reject(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', onHandshakeError);
      wss.emit('connection', ws, req);
    });
  });

  wss.on('connection', (ws: WebSocket) => {
    const send = (frame: WireServerFrame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = events.subscribe((event, payload) => send({ type: 'event', event, payload }));
    ws.on('close', unsubscribe);
    // `ws` has already sent the close frame (1002, 1007, 1009) when it reports a protocol error;
    // left without a listener, the error would take every other client down with the process.
    ws.on('error', (err: Error & { code?: string }) => {
      options.logger.warn('web host: closed a socket after a protocol error', { code: err.code ?? null, error: err.message });
    });
    ws.on('message', (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(data));
      } catch {
        ws.close(1007, 'frames must be JSON');
        return;
      }
      const frame = wireRequestSchema.safeParse(raw);
      if (!frame.success) {
        const id = (raw as { id?: unknown } | null)?.id;
        if (typeof id === 'number' && Number.isInteger(id) && id >= 0) {
          send({ type: 'reply', id, result: fail('invalid_input', 'malformed_frame') });
        } else ws.close(1008, 'malformed request frame');
        return;
      }
      void registry.dispatch(frame.data.method, frame.data.input).then((result) =>
        send({ type: 'reply', id: frame.data.id, result }),
      );
    });
  });

  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, BIND_ADDRESS, () => {
      server.off('error', rejectListen);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${BIND_ADDRESS}:${port}/#${WEB.tokenParam}=${token}`,
    port,
    token,
    notify(notice) {
      const frame = JSON.stringify({ type: 'event', event: 'alert.fired', payload: notice } satisfies WireServerFrame);
      let shown = false;
      for (const ws of wss.clients) {
        if (ws.readyState !== WebSocket.OPEN) continue;
        ws.send(frame);
        shown = true;
      }
      return shown;
    },
    async close() {
      await Promise.all([...wss.clients].map(closeGently));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
