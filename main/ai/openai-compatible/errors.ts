import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { filterResultsOf, flaggedCategories } from '../azure/content-filter';
import { redactKeys } from '../../log/redact';
import { ProviderFault } from '../types';

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
  if (err instanceof APIConnectionError) return new ProviderFault('connection', 'connection failed');
  if (err instanceof APIError) {
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
  return new ProviderFault('connection', err instanceof Error ? redactKeys(err.message).slice(0, 300) : 'unknown failure');
}
