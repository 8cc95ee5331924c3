import type { DeliveryErrorCode } from '../../shared/alerts';
import { type DeliveryOutcome, delivered, failed, redactError } from '../outbox';

/**
 * One channel's answer to one message, the same for the relay and for Send test: `detail` is
 * the provider's own words (an AWS error name and message, Slack's body), already redacted.
 */
export type Delivery =
  | { ok: true }
  | { ok: false; code: DeliveryErrorCode; retryable: boolean; detail: string; status: number | null; retryAfterMs?: number };

export const sent: Delivery = { ok: true };

export function refused(
  code: DeliveryErrorCode,
  detail: string,
  { retryable = false, status = null, retryAfterMs }: { retryable?: boolean; status?: number | null; retryAfterMs?: number } = {},
): Delivery {
  const base = { ok: false as const, code, retryable, detail: redactError(detail).slice(0, 300), status };
  return retryAfterMs === undefined ? base : { ...base, retryAfterMs };
}

/** The outbox's view: what is not retryable goes to dead letter at once, with the code leading its last_error. */
export function toOutcome(d: Delivery): DeliveryOutcome {
  if (d.ok) return delivered;
  const error = `${d.code}${d.status === null ? '' : ` (HTTP ${d.status})`}: ${d.detail}`;
  return failed(error, d.retryable ? (d.retryAfterMs === undefined ? {} : { retryAfterMs: d.retryAfterMs }) : { permanent: true });
}

/** A network-level failure (refused, reset, DNS, timeout): worth another try later. */
export function networkFailure(err: unknown): Delivery {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return refused('network', e.name === 'TimeoutError' ? 'timed out' : 'aborted', { retryable: true });
  const code = e?.cause?.code ?? e?.code;
  const message = e?.cause?.message ?? e?.message ?? String(err);
  return refused('network', code ? `${code}: ${message}` : message, { retryable: true });
}
