/**
 * The OnlyFans transport over a third-party HTTP API (`POST /api/{account}/chats/{chatId}/messages`
 * with a Bearer key). It sends once and reports what happened; retrying, waiting out 429s and
 * reconciling uncertain sends belong to the queue, which gets a typed reason for each.
 */
import { z } from 'zod';
import { redactKeys } from '../../log/redact';
import { type Clock, systemClock } from '../../ports/clock';
import { type Logger, silentLogger } from '../../ports/logger';
import {
  type FanListingTransport,
  type FanPageResult,
  type LookupResult,
  type MessagingTransport,
  type OutgoingMessage,
  outgoingMessageSchema,
  type SendFailure,
  type SendFailureReason,
  type SendResult,
  type TestResult,
} from '../transport';
import { type Exchange, exchange } from './http-exchange';

export interface OnlyFansHttpOptions {
  baseUrl: string;
  /** The caller fetches it from the SecretStore; it is never logged nor put in a detail. */
  apiKey: string;
  /** The creator's account id on the API, the `{account}` in every path. */
  account: string;
  timeoutMs?: number;
  clock?: Pick<Clock, 'now'>;
  logger?: Logger;
}

export class TransportConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransportConfigError';
  }
}

const optionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1).max(4096),
  account: z.string().min(1).max(200),
  timeoutMs: z.number().int().min(1).max(600_000).optional(),
});

const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_REPLY_BYTES = 1 << 20;
const MAX_DETAIL = 300;
const MAX_RETRY_AFTER_MS = 60 * 60_000;

const sentReply = z.object({ id: z.union([z.string().min(1), z.number()]), createdAt: z.string().optional() });
const lookupReply = z.object({ messages: z.array(z.object({ clientRef: z.string() })) });
const meReply = z.object({
  plan: z.string().min(1),
  limits: z.object({
    perMinute: z.number().int().positive(),
    accountPerMinute: z.number().int().positive().optional(),
    accountMinIntervalMs: z.number().int().min(0).optional(),
  }),
});
/** A fan on the wire; bad dates or a negative spend make the whole page not the API's. */
const wireFan = z.object({
  id: z.union([z.string().min(1).max(200), z.number().int()]),
  username: z.string().max(200).nullish(),
  displayName: z.string().max(200).nullish(),
  totalSpent: z.number().min(0).max(1_000_000_000).default(0),
  subscribedAt: z.iso.datetime({ offset: true }).nullish(),
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
});
const fansReply = z.object({ fans: z.array(wireFan).max(1000), nextCursor: z.string().min(1).max(500).nullable() });
export const FANS_PAGE_SIZE = 200;

const errorReply = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) });

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(Math.ceil(Number(trimmed) * 1000), MAX_RETRY_AFTER_MS);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

type StatusReason = Extract<SendFailureReason, 'rate_limited' | 'unauthorized' | 'not_found' | 'timeout' | 'server_error' | 'bad_request'>;

function statusReason(status: number): StatusReason {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server_error';
  return 'bad_request';
}

function parseJson<T>(text: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function createOnlyFansHttpTransport(options: OnlyFansHttpOptions): MessagingTransport & FanListingTransport {
  const checked = optionsSchema.safeParse(options);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = String(issue?.path[0] ?? 'options');
    // The message names the field only: a zod message could quote the key's value.
    throw new TransportConfigError(field, `invalid ${field}`);
  }
  const { apiKey, account } = options;
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const accountPath = `/api/${encodeURIComponent(account)}`;

  /** Everything that leaves this module as text goes through here. */
  const scrub = (text: string) => redactKeys(text.split(apiKey).join('[redacted key]')).slice(0, MAX_DETAIL);

  const call = (method: 'GET' | 'POST', path: string, signal?: AbortSignal, body?: unknown): Promise<Exchange> =>
    exchange({
      url: new URL(base + path),
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs,
      signal,
      maxReplyBytes: MAX_REPLY_BYTES,
    });

  function statusDetail(status: number, text: string): string {
    const body = parseJson(text, errorReply);
    const words = body ? [body.error.code, body.error.message].filter(Boolean).join(': ') : text.trim();
    return scrub(`HTTP ${status}${words ? ` ${words}` : ''}`);
  }

  function failure(reason: SendFailureReason, maybeSent: boolean, detail: string, retryAfterMs?: number): SendFailure {
    const f: SendFailure = { ok: false, reason, maybeSent, detail: scrub(detail), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    logger.warn('onlyfans.send failed', { account, reason, maybeSent, detail: f.detail, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    return f;
  }

  return {
    kind: 'onlyfans-http',

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendResult> {
      const input = outgoingMessageSchema.safeParse(message);
      if (!input.success) {
        const issue = input.error.issues[0];
        return failure('bad_request', false, `invalid message: ${issue?.path.join('.') || 'message'} ${issue?.code ?? ''}`.trim());
      }
      const m = input.data;
      const body = {
        text: m.text,
        ...(m.priceMicros === undefined ? {} : { price: m.priceMicros / 1_000_000 }),
        ...(m.mediaIds === undefined ? {} : { mediaIds: m.mediaIds }),
        clientRef: m.clientRef,
      };
      const r = await call('POST', `${accountPath}/chats/${encodeURIComponent(m.chatId)}/messages`, signal, body);
      if (r.kind === 'failed') return failure(r.reason, r.bodySent, r.detail);
      if (r.status >= 200 && r.status < 300) {
        const ok = parseJson(r.text, sentReply);
        // A 2xx means the platform took the message even if the reply is garbled.
        if (!ok) return failure('invalid_reply', true, `HTTP ${r.status} with a reply that is not the API's JSON`);
        return { ok: true, remoteId: String(ok.id) };
      }
      const reason = statusReason(r.status);
      const wait = reason === 'rate_limited' ? parseRetryAfter(r.headers['retry-after'], clock.now()) : undefined;
      return failure(reason, false, statusDetail(r.status, r.text), wait);
    },

    async lookup(clientRef: string, signal?: AbortSignal): Promise<LookupResult> {
      if (!clientRef) return 'unknown';
      const r = await call('GET', `${accountPath}/messages?clientRef=${encodeURIComponent(clientRef)}`, signal);
      if (r.kind === 'failed') {
        logger.warn('onlyfans.lookup failed', { account, reason: r.reason, detail: scrub(r.detail) });
        // No answer at all (refused, timed out, dropped): the question stays open, it is not unknown.
        return r.reason === 'invalid_reply' ? 'unknown' : 'unreachable';
      }
      if (r.status !== 200) {
        logger.warn('onlyfans.lookup failed', { account, detail: statusDetail(r.status, r.text) });
        return 'unknown';
      }
      const found = parseJson(r.text, lookupReply);
      if (!found) return 'unknown';
      return found.messages.some((x) => x.clientRef === clientRef) ? 'sent' : 'absent';
    },

    async listFans(cursor: string | null, signal?: AbortSignal): Promise<FanPageResult> {
      const query = `limit=${FANS_PAGE_SIZE}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const r = await call('GET', `${accountPath}/fans?${query}`, signal);
      if (r.kind === 'failed') return { ok: false, reason: r.reason === 'dropped_after_send' ? 'connection' : r.reason, detail: scrub(r.detail) };
      if (r.status !== 200) return { ok: false, reason: statusReason(r.status), detail: statusDetail(r.status, r.text) };
      const page = parseJson(r.text, fansReply);
      if (!page) return { ok: false, reason: 'invalid_reply', detail: `HTTP 200 with a reply that is not the API's JSON` };
      const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
      return {
        ok: true,
        nextCursor: page.nextCursor,
        fans: page.fans.map((f) => ({
          fanId: String(f.id),
          name: f.username || null,
          displayName: f.displayName || null,
          // Dollars on the wire; rounded once, here, to integer micro-dollars.
          totalSpendMicros: Math.round(f.totalSpent * 1_000_000),
          subscribedAt: time(f.subscribedAt),
          expiresAt: time(f.expiresAt),
          tags: [...new Map(f.tags.map((t) => [t.toLowerCase(), t])).values()],
        })),
      };
    },

    async test(signal?: AbortSignal): Promise<TestResult> {
      const r = await call('GET', '/api/me', signal);
      if (r.kind === 'failed') {
        const reason = r.reason === 'dropped_after_send' ? 'connection' : r.reason;
        return { ok: false, reason, detail: scrub(r.detail) };
      }
      if (r.status !== 200) return { ok: false, reason: statusReason(r.status), detail: statusDetail(r.status, r.text) };
      const me = parseJson(r.text, meReply);
      if (!me) return { ok: false, reason: 'invalid_reply', detail: `HTTP 200 with a reply that is not the API's JSON` };
      return { ok: true, limits: { plan: me.plan, ...me.limits } };
    },
  };
}
