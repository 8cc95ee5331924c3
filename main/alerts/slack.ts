import { type AlertMessage, LOOPBACK_WEBHOOK, SLACK_WEBHOOK } from '../../shared/alerts';
import { type Delivery, networkFailure, refused, sent } from './delivery';
import { slackMessage } from './render';

const TIMEOUT_MS = 15_000;
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** Slack's own hosts always; a loopback stand-in only when the host was started for tests. */
export function isAllowedWebhook(url: string, allowLoopback: boolean): boolean {
  return SLACK_WEBHOOK.test(url) || (allowLoopback && LOOPBACK_WEBHOOK.test(url));
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/**
 * Posts one alert to an incoming webhook. Slack answers 200 "ok"; 429 with Retry-After when
 * rate limited; 4xx with a word (`invalid_token`, `no_service`, `channel_is_archived`) that no
 * retry will change. The URL is the secret: it never appears in what this returns.
 */
export async function postSlack(webhookUrl: string, alert: AlertMessage, signal: AbortSignal, now: number): Promise<Delivery> {
  let response: Response;
  try {
    response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(slackMessage(alert)),
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
      redirect: 'error',
    });
  } catch (err) {
    return networkFailure(err);
  }
  const body = (await response.text().catch(() => '')).slice(0, 300);
  const status = response.status;
  if (status >= 200 && status < 300) return sent;
  const detail = body || response.statusText || `HTTP ${status}`;
  if (status === 429) {
    const wait = retryAfterMs(response.headers.get('retry-after'), now);
    return refused('throttled', detail, { retryable: true, status, ...(wait === null ? {} : { retryAfterMs: wait }) });
  }
  if (status >= 500 || status === 408) return refused('unavailable', detail, { retryable: true, status });
  if (status === 401 || status === 403) return refused('auth', detail, { status });
  if (status === 404 || status === 410) return refused('not_found', detail, { status });
  return refused('rejected', detail, { status });
}
