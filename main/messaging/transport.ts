/**
 * The one interface every messaging transport (OnlyFans API over HTTP, export, sandbox) sits
 * behind. A transport is bound to one creator account; the queue and limiter decide when to
 * call it, the transport only says what happened, in a closed list of reasons.
 */
import { z } from 'zod';
import type { SendFailureReason } from '../../shared/sending';

export const outgoingMessageSchema = z.strictObject({
  /** The fan's chat on the platform. */
  chatId: z.string().min(1).max(200),
  text: z.string().min(1).max(10_000),
  /** A PPV price in integer micro-dollars; the wire carries dollars. */
  priceMicros: z.number().int().min(0).max(1_000_000_000_000).optional(),
  mediaIds: z.array(z.string().min(1).max(200)).max(50).optional(),
  /** Carried in the send so that, after a crash, the platform can be asked whether it exists. */
  clientRef: z.string().min(1).max(200),
});
export type OutgoingMessage = z.infer<typeof outgoingMessageSchema>;

// The reasons live in shared/ with the queue's own, so a send's reason is one closed list end to end.
export type { SendFailureReason } from '../../shared/sending';

export interface SendFailure {
  ok: false;
  reason: SendFailureReason;
  /** Present for `rate_limited` when the platform said how long to wait; the queue decides. */
  retryAfterMs?: number;
  /**
   * True when the platform may hold the message although no success came back (the body went
   * out and no error status answered it). The queue must reconcile with `lookup`, never resend
   * blindly. False means it certainly was not accepted.
   */
  maybeSent: boolean;
  /** For the operator and the log; never carries a key. */
  detail: string;
}

export type SendResult = { ok: true; remoteId: string } | SendFailure;

/**
 * `unknown` when the platform answered but not plainly (an error status, a reply that is not the
 * API's), so the operator must decide; `unreachable` when it could not be asked at all (refused,
 * timed out, the line dropped), which is only "not known yet": ask again once it answers.
 */
export type LookupResult = 'sent' | 'absent' | 'unknown' | 'unreachable';

export interface PlanLimits {
  plan: string;
  /** Requests per minute the API key may make across its accounts (the global layer). */
  perMinute: number;
  /** What the API says one account may send, when it says so. */
  accountPerMinute?: number;
  accountMinIntervalMs?: number;
}

export type TestResult =
  | { ok: true; limits: PlanLimits }
  | { ok: false; reason: Exclude<SendFailureReason, 'dropped_after_send'>; detail: string };

export interface MessagingTransport {
  readonly kind: 'onlyfans-http';
  send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendResult>;
  lookup(clientRef: string, signal?: AbortSignal): Promise<LookupResult>;
  /** Test connection: the key works and the plan's limits, as the API reports them. */
  test(signal?: AbortSignal): Promise<TestResult>;
}

/** A fan as the platform lists it; spend in integer micro-dollars (the wire carries dollars), times as epoch ms. */
export interface PlatformFan {
  fanId: string;
  name: string | null;
  displayName: string | null;
  totalSpendMicros: number;
  subscribedAt: number | null;
  expiresAt: number | null;
  tags: string[];
}

/** One page of an account's fans; `nextCursor` null on the last page. */
export type FanPageResult =
  | { ok: true; fans: PlatformFan[]; nextCursor: string | null }
  | { ok: false; reason: Exclude<SendFailureReason, 'dropped_after_send'>; detail: string };

/** Transports that can list an account's fans (the OnlyFans API can; export cannot). */
export interface FanListingTransport {
  /** `cursor` null for the first page, then the previous page's `nextCursor`. */
  listFans(cursor: string | null, signal?: AbortSignal): Promise<FanPageResult>;
}

export const canListFans = <T extends object>(transport: T): transport is T & FanListingTransport =>
  typeof (transport as Partial<FanListingTransport>).listFans === 'function';
