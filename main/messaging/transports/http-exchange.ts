/**
 * One HTTP exchange that can tell "never left" from "left, then the line went dead". fetch
 * reports both as "fetch failed"; node:http's `finish` marks the moment the whole body was
 * handed to the OS, which is what decides whether the platform may hold the message.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type Exchange =
  | { kind: 'reply'; status: number; headers: IncomingHttpHeaders; text: string }
  | { kind: 'failed'; reason: 'timeout' | 'cancelled' | 'connection' | 'dropped_after_send' | 'invalid_reply'; bodySent: boolean; detail: string };

export interface ExchangeRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  maxReplyBytes: number;
}

const errorCode = (err: unknown): string => {
  const e = err as { code?: unknown; name?: unknown };
  return typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'error';
};

export function exchange(r: ExchangeRequest): Promise<Exchange> {
  // One controller per exchange, unhooked when it settles: a queue-wide caller signal lives for
  // thousands of sends and must not collect a listener (or AbortSignal.any's follower) per send.
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = () => controller.abort(r.signal?.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('timeout'));
  }, r.timeoutMs);
  r.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const signal = controller.signal;
  const request = r.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Exchange>((resolve) => {
    let bodySent = false;
    let replied = false;
    let settled = false;
    const settle = (e: Exchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.signal?.removeEventListener('abort', onCallerAbort);
      resolve(e);
    };
    const fail = (err: unknown) => {
      const code = errorCode(err);
      // Our own timeout and the caller's abort both surface as AbortError; the signals say which.
      if (timedOut) return settle({ kind: 'failed', reason: 'timeout', bodySent, detail: `no reply within ${r.timeoutMs} ms` });
      if (r.signal?.aborted) return settle({ kind: 'failed', reason: 'cancelled', bodySent, detail: 'cancelled by the caller' });
      if (!bodySent) return settle({ kind: 'failed', reason: 'connection', bodySent, detail: `could not reach the API (${code})` });
      const when = replied ? 'while the reply was arriving' : 'before any reply';
      settle({ kind: 'failed', reason: 'dropped_after_send', bodySent, detail: `the connection closed ${when} (${code})` });
    };
    if (r.signal?.aborted) return fail(r.signal.reason);

    const headers = { ...r.headers, ...(r.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(r.body)) }) };
    const req = request(r.url, { method: r.method, headers, signal });
    req.on('error', fail);
    req.on('response', (res) => {
      replied = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > r.maxReplyBytes) {
          settle({ kind: 'failed', reason: 'invalid_reply', bodySent, detail: `the reply is larger than ${r.maxReplyBytes} bytes` });
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        settle({ kind: 'reply', status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('aborted')));
    });
    req.end(r.body, () => {
      bodySent = true;
    });
  });
}
