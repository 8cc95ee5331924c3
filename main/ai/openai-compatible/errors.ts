import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { filterResultsOf, flaggedCategories } from '../azure/content-filter';
import { redactKeys } from '../../log/redact';
import { type NetworkCause, ProviderFault } from '../types';

const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'quota_exceeded', 'credits_exhausted', 'spend_limit_reached']);
const QUOTA_WORDS = /quota|billing|credit|spend(ing)? limit/i;

export { redactKeys };

function header(headers: Headers | undefined, name: string): string | null {
  return headers?.get(name) ?? null;
}

/** retry-after-ms (Azure, OpenAI) wins over retry-after (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, nowMs: number): number | null {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (header(headers, 'retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = header(headers, 'retry-after');
  if (raw === null) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

function innerCode(error: unknown): string | null {
  const inner = (error as { innererror?: { code?: unknown } } | undefined)?.innererror;
  return typeof inner?.code === 'string' ? inner.code : null;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL']);
const REFUSED_CODES = new Set(['ECONNREFUSED']);
// Node's certificate and handshake failures: their codes name the certificate problem or say TLS/SSL/EPROTO.
const TLS_CODE = /CERT|SELF_SIGNED|TLS|SSL|EPROTO|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH/;

/** Walks the socket error under the SDK's connection error (fetch wraps it in one or two causes). */
export function networkCause(err: unknown): NetworkCause | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (DNS_CODES.has(code)) return 'dns';
      if (REFUSED_CODES.has(code)) return 'refused';
      if (TLS_CODE.test(code)) return 'tls';
    }
    queue.push((e as { cause?: unknown }).cause);
    // Trying each address of a host in turn ends in an AggregateError of one error per address.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return undefined;
}

const providerCode = (err: APIError): string | undefined => {
  const code = err.code ?? innerCode(err.error);
  return typeof code === 'string' && code ? code.slice(0, 100) : undefined;
};

function httpFault(err: APIError, nowMs: number): ProviderFault {
  const status = err.status ?? null;
  const code = err.code ?? null;
  const message = redactKeys(err.message).slice(0, 300);
  if (status === 401 || status === 403) return new ProviderFault('unauthorized', message, status);
  if (status === 429) {
    if ((code && QUOTA_CODES.has(code)) || (err.type && QUOTA_CODES.has(err.type)) || QUOTA_WORDS.test(message)) {
      return new ProviderFault('quota_exhausted', message, status);
    }
    return new ProviderFault('rate_limited', message, status, retryAfterMs(err.headers, nowMs));
  }
  if (status === 400 && (code === 'content_filter' || innerCode(err.error) === 'ResponsibleAIPolicyViolation')) {
    const flagged = flaggedCategories(filterResultsOf(err.error));
    return new ProviderFault('content_filter', flagged.length ? `content filter flagged ${flagged.join(', ')}` : message, status);
  }
  if (status === 408) return new ProviderFault('timeout', message, status);
  if (status !== null && status >= 500) return new ProviderFault('server_error', message, status, retryAfterMs(err.headers, nowMs));
  return new ProviderFault('bad_request', message, status);
}

/**
 * Maps what the SDK threw to a fault kind. `timedOut` says whether our own first-byte or
 * total timer aborted the call (the SDK then reports a user abort).
 */
export function classify(err: unknown, timedOut: 'first_byte' | 'total' | null, nowMs: number): ProviderFault {
  if (err instanceof ProviderFault) return err;
  if (timedOut || err instanceof APIConnectionTimeoutError) {
    return new ProviderFault('timeout', timedOut === 'first_byte' ? 'no first byte before the timeout' : 'timed out');
  }
  if (err instanceof APIUserAbortError) return new ProviderFault('timeout', 'aborted');
  if (err instanceof APIConnectionError) {
    const network = networkCause(err);
    return new ProviderFault('connection', network ? `connection failed (${network})` : 'connection failed', null, null, '', null, network ? { network } : {});
  }
  if (err instanceof APIError) {
    const fault = httpFault(err, nowMs);
    const code = providerCode(err);
    return code ? new ProviderFault(fault.kind, fault.message, fault.status, fault.retryAfterMs, '', null, { code }) : fault;
  }
  return new ProviderFault('connection', err instanceof Error ? redactKeys(err.message).slice(0, 300) : 'unknown failure');
}
