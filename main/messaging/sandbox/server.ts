/**
 * The sandbox OnlyFans server: a loopback HTTP server speaking the third-party OnlyFans API the
 * HTTP transport talks to, so sending can be exercised for real without a platform or a risk to
 * an account. It keeps what it received, judges the pace, and fails on request.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { type Clock, systemClock } from '../../ports/clock';
import { type AccountLimits, DEFAULT_ACCOUNT_LIMITS, MessageBook, type ReceivedMessage, type Violation } from './book';
import { listenOn, readBoundedBody } from '../../sandbox/http';
import { decodeCursor, encodeCursor, generateFans, type SandboxFan } from './fans';

export type { AccountLimits, ReceivedMessage, Violation } from './book';
export type { SandboxFan } from './fans';

/** One scripted answer to the next send on an account. */
export type OnlyFansFault =
  | { kind: 'rate_limit'; retryAfterSeconds?: number }
  | { kind: 'server_error' }
  /** The request is held unanswered until the client gives up or the server closes. */
  | { kind: 'timeout' }
  /** The message is stored, then the socket is destroyed before any reply. */
  | { kind: 'accept_then_drop' }
  /** The message is stored, then the reply is 200 with a body that is not the API's JSON. */
  | { kind: 'garbage_reply' };

export interface PlanInfo {
  plan: string;
  /** Requests per minute the API key may make across all its accounts. */
  perMinute: number;
}

export interface OnlyFansSandbox {
  url: string;
  port: number;
  /** Queues answers for the next sends to `account`, in order; an empty queue means success. */
  script(account: string, faults: OnlyFansFault[]): void;
  /** Answers every send to `account` with `fault` until cleared with null; scripted items go first. */
  setStandingFault(account: string, fault: OnlyFansFault | null): void;
  /** Sets the pace the server enforces (by recording violations) for `account`. */
  setLimits(account: string, limits: AccountLimits): void;
  /** Every message stored for `account`, oldest first; the same clientRef twice appears twice. */
  messages(account: string): ReceivedMessage[];
  /** Every message stored, all accounts. */
  allMessages(): ReceivedMessage[];
  violations(): Violation[];
  /** The fans `GET /api/{account}/fans` pages through (generated once per account, deterministic). */
  fans(account: string): SandboxFan[];
  /** Answers `account`'s fan pages with 500 from page `afterPages + 1` on (null clears). */
  failFansAfter(account: string, afterPages: number | null): void;
  /** Requests currently held unanswered by a `timeout` fault. */
  held(): number;
  /** Clears messages, violations, limits, scripts and standing faults. */
  reset(): void;
  /** Destroys every connection (held requests included) and stops listening. */
  close(): Promise<void>;
}

export interface OnlyFansSandboxOptions {
  /** The only key accepted; any other Bearer gets 401. */
  apiKey: string;
  /** When given, any other account answers 404. */
  accounts?: string[];
  plan?: PlanInfo;
  /** Paces are judged on `monotonic()`; `createdAt` comes from `now()`. */
  clock?: Clock;
  port?: number;
  /** How many fans each account has (default 240). */
  fansPerAccount?: number;
}

// Loopback only: the sandbox must never be reachable from the network.
const BIND_ADDRESS = '127.0.0.1';
const MAX_BODY_BYTES = 256 << 10;
const DEFAULT_PLAN: PlanInfo = { plan: 'sandbox', perMinute: 600 };

const sendBody = z.strictObject({
  text: z.string().min(1).max(10_000),
  price: z.number().min(0).max(1_000_000).optional(),
  mediaIds: z.array(z.string().min(1).max(200)).max(50).optional(),
  clientRef: z.string().min(1).max(200),
});

const SEND_PATH = /^\/api\/([^/]+)\/chats\/([^/]+)\/messages$/;
const LOOKUP_PATH = /^\/api\/([^/]+)\/messages$/;
const FANS_PATH = /^\/api\/([^/]+)\/fans$/;
const DEFAULT_FANS = 240;
const MAX_FANS_PAGE = 1000;

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const json = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

const apiError = (code: string, message: string) => ({ error: { code, message } });

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

export async function startOnlyFansSandbox(options: OnlyFansSandboxOptions): Promise<OnlyFansSandbox> {
  const clock = options.clock ?? systemClock;
  const plan = options.plan ?? DEFAULT_PLAN;
  const known = options.accounts ? new Set(options.accounts) : null;
  const book = new MessageBook();
  const scripts = new Map<string, OnlyFansFault[]>();
  const standing = new Map<string, OnlyFansFault>();
  const holding = new Set<ServerResponse>();
  let closing: Promise<void> | null = null;
  const fanSets = new Map<string, SandboxFan[]>();
  const fanFaults = new Map<string, number>();
  const fansOf = (account: string) => {
    let fans = fanSets.get(account);
    if (!fans) {
      fans = generateFans(account, options.fansPerAccount ?? DEFAULT_FANS, clock.now());
      fanSets.set(account, fans);
    }
    return fans;
  };

  function handleFans(res: ServerResponse, account: string, url: URL) {
    const cursor = url.searchParams.get('cursor');
    const offset = cursor ? decodeCursor(cursor) : 0;
    const limit = Number(url.searchParams.get('limit') ?? 100);
    if (offset === null) return reply(res, 400, apiError('invalid_cursor', 'The cursor is not one this API gave.'));
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FANS_PAGE) return reply(res, 400, apiError('invalid_request', `limit must be 1 to ${MAX_FANS_PAGE}.`));
    const all = fansOf(account);
    const failAfter = fanFaults.get(account);
    if (failAfter !== undefined && offset >= failAfter * limit) return reply(res, 500, apiError('internal', 'Something went wrong on our side.'));
    const end = Math.min(offset + limit, all.length);
    return reply(res, 200, { fans: all.slice(offset, end), nextCursor: end < all.length ? encodeCursor(end) : null });
  }

  function store(account: string, chatId: string, body: z.infer<typeof sendBody>): ReceivedMessage {
    const message: ReceivedMessage = {
      id: randomUUID(),
      account,
      chatId,
      text: body.text,
      priceMicros: body.price === undefined ? null : Math.round(body.price * 1_000_000),
      mediaIds: body.mediaIds ?? [],
      clientRef: body.clientRef,
      createdAt: clock.now(),
    };
    book.accept(message, clock.monotonic());
    return message;
  }

  function handleSend(req: IncomingMessage, res: ServerResponse, account: string, chatId: string, raw: string) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return reply(res, 400, apiError('invalid_json', 'The request body is not JSON.'));
    }
    const parsed = sendBody.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply(res, 400, apiError('invalid_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`));
    }
    const fault = scripts.get(account)?.shift() ?? standing.get(account);
    switch (fault?.kind) {
      case 'rate_limit': {
        const wait = fault.retryAfterSeconds ?? 3;
        return reply(res, 429, apiError('rate_limited', `Too many messages. Retry in ${wait} s.`), { 'retry-after': String(wait) });
      }
      case 'server_error':
        return reply(res, 500, apiError('internal', 'Something went wrong on our side.'));
      case 'timeout':
        // Held until the client gives up or close() destroys it.
        holding.add(res);
        res.once('close', () => holding.delete(res));
        return;
      case 'accept_then_drop':
        store(account, chatId, parsed.data);
        req.socket.destroy();
        return;
      case 'garbage_reply': {
        store(account, chatId, parsed.data);
        const text = '<html>502 Bad Gateway</html>';
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      default: {
        const message = store(account, chatId, parsed.data);
        return reply(res, 200, { id: message.id, createdAt: new Date(message.createdAt).toISOString() });
      }
    }
  }

  function route(req: IncomingMessage, res: ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const key = bearer(req);
    if (key !== options.apiKey) {
      // Real APIs quote the key back; the transport must keep it out of what it reports.
      const quoted = key ? ` Invalid API key provided: ${key}.` : ' No API key provided.';
      return reply(res, 401, apiError('unauthorized', `Authentication failed.${quoted}`));
    }
    if (url.pathname === '/api/me') {
      if (req.method !== 'GET') return reply(res, 405, apiError('method_not_allowed', 'Use GET.'), { allow: 'GET' });
      return reply(res, 200, {
        plan: plan.plan,
        limits: { perMinute: plan.perMinute, accountPerMinute: DEFAULT_ACCOUNT_LIMITS.perMinute, accountMinIntervalMs: DEFAULT_ACCOUNT_LIMITS.minIntervalMs },
      });
    }
    const fans = FANS_PATH.exec(url.pathname);
    if (fans) {
      const account = decode(fans[1]!);
      if (!account || (known && !known.has(account))) return reply(res, 404, apiError('account_not_found', `No account ${account}.`));
      if (req.method !== 'GET') return reply(res, 405, apiError('method_not_allowed', 'Use GET.'), { allow: 'GET' });
      return handleFans(res, account, url);
    }
    const send = SEND_PATH.exec(url.pathname);
    const lookup = send ? null : LOOKUP_PATH.exec(url.pathname);
    const account = decode((send ?? lookup)?.[1] ?? '');
    if (!account || (!send && !lookup)) return reply(res, 404, apiError('not_found', `No route ${req.method} ${url.pathname}.`));
    if (known && !known.has(account)) return reply(res, 404, apiError('account_not_found', `No account ${account}.`));
    if (send) {
      const chatId = decode(send[2]!);
      if (!chatId) return reply(res, 404, apiError('not_found', 'Bad chat id.'));
      if (req.method !== 'POST') return reply(res, 405, apiError('method_not_allowed', 'Use POST.'), { allow: 'POST' });
      return handleSend(req, res, account, chatId, raw);
    }
    if (req.method !== 'GET') return reply(res, 405, apiError('method_not_allowed', 'Use GET.'), { allow: 'GET' });
    const clientRef = url.searchParams.get('clientRef');
    if (!clientRef) return reply(res, 400, apiError('invalid_request', 'clientRef is required.'));
    const found = book.byClientRef(account, clientRef);
    return reply(res, 200, {
      messages: found.map((m) => ({ id: m.id, chatId: m.chatId, clientRef: m.clientRef, createdAt: new Date(m.createdAt).toISOString() })),
    });
  }

  const server = createServer((req, res) => {
    readBoundedBody(
      req,
      MAX_BODY_BYTES,
      () => reply(res, 413, apiError('too_large', 'The request body is too large.'), { connection: 'close' }),
      (body) => route(req, res, body),
      () => res.destroyed,
    );
  });

  await listenOn(server, options.port ?? 0, BIND_ADDRESS);
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${BIND_ADDRESS}:${port}`,
    port,
    script(account, faults) {
      const queue = scripts.get(account);
      if (queue) queue.push(...faults);
      else scripts.set(account, [...faults]);
    },
    setStandingFault(account, fault) {
      if (fault) standing.set(account, fault);
      else standing.delete(account);
    },
    setLimits: (account, limits) => book.setLimits(account, limits),
    messages: (account) => book.messages(account),
    allMessages: () => book.all(),
    violations: () => book.violations(),
    fans: (account) => [...fansOf(account)],
    failFansAfter(account, afterPages) {
      if (afterPages === null) fanFaults.delete(account);
      else fanFaults.set(account, afterPages);
    },
    held: () => holding.size,
    reset() {
      book.clear();
      fanFaults.clear();
      scripts.clear();
      standing.clear();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        holding.clear();
      });
      return closing;
    },
  };
}
