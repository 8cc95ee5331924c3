import type { BackoffPolicy } from './types';

/**
 * Full jitter (uniform in [0, cap), cap doubling per attempt up to `maxMs`): retries from many
 * seats that failed together spread out instead of hitting the service again in step.
 */
export function fullJitterDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * cap);
}

const MAX_ERROR_CHARS = 500;
// A Slack webhook or a presigned URL carries its secret in the path or query; the origin is enough to debug.
const URL_LIKE = /\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/?#@]*@)?([^\s/?#]+)([^\s]*)/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const KEY_LIKE = /\b(?:sk-[A-Za-z0-9_*.-]{4,}|xox[abprs]-[A-Za-z0-9-]{8,}|AKIA[0-9A-Z]{16}|[A-Fa-f0-9]{32,}|[A-Za-z0-9+/]{40,}={0,2})/g;

/** What may be stored as `last_error` and logged: no URL paths, no key-like tokens, bounded. */
export function redactError(message: string): string {
  const cleaned = message
    .replace(URL_LIKE, (_m, scheme: string, host: string, rest: string) => `${scheme}${host}${rest ? '/…' : ''}`)
    .replace(BEARER, '$1 [redacted]')
    .replace(KEY_LIKE, '[redacted]');
  return cleaned.length > MAX_ERROR_CHARS ? `${cleaned.slice(0, MAX_ERROR_CHARS - 1)}…` : cleaned;
}
