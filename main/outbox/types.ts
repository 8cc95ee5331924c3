import { z } from 'zod';

/** What a writer hands `enqueue`: `key` is the idempotency key within `topic`. */
export interface OutboxMessage<P = unknown> {
  topic: string;
  key: string;
  payload: P;
}

export const TOPIC_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
/** DynamoDB refuses items over 400 KB; a payload is a reference or a small fact, never a document. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export const topicSchema = z.string().regex(TOPIC_PATTERN, 'a topic is lower-case letters, digits, _ . - (at most 64)');

export const outboxMessageSchema = z.object({
  topic: topicSchema,
  key: z.string().min(1).max(200),
  payload: z.unknown(),
});

/** One claimed row, its payload already parsed by the consumer's schema. */
export interface OutboxItem<P> {
  id: number;
  topic: string;
  key: string;
  payload: P;
  /** 1 on the first delivery; counts claims, so a relay that crashed mid-delivery used one up. */
  attempt: number;
  createdAt: number;
}

/**
 * One per item, in the order the items were given. A failure is retried with backoff unless it
 * is `permanent` or attempts are used up; `retryAfterMs` (a server's Retry-After) is honoured as
 * a floor. `error` is stored and logged: it must not carry a secret (URLs lose their path and
 * query and key-like tokens are masked anyway, as a second line of defence).
 */
export type DeliveryOutcome = { ok: true } | { ok: false; error: string; retryAfterMs?: number; permanent?: boolean };

export const delivered: DeliveryOutcome = { ok: true };
export const failed = (error: string, options: { retryAfterMs?: number; permanent?: boolean } = {}): DeliveryOutcome => ({
  ok: false,
  error,
  ...options,
});

export interface BackoffPolicy {
  /** The cap before jitter for the first retry; it doubles with each attempt. */
  baseMs: number;
  maxMs: number;
}

/** The one interface every side effect that leaves the machine implements, one per topic. */
export interface OutboxConsumer<P> {
  topic: string;
  /** Payloads are parsed when read back; one that fails goes to dead letter with the reason. */
  schema: z.ZodType<P>;
  batchSize: number;
  /** Claims allowed before the row goes to dead letter. */
  maxAttempts: number;
  /** How long a claim holds; `deliver` must finish well within it or the row may be delivered twice. */
  leaseMs?: number;
  backoff?: BackoffPolicy;
  /** `signal` aborts when the relay stops. Delivery is at least once: consumers dedupe by `key`. */
  deliver(items: readonly OutboxItem<P>[], context: { signal: AbortSignal }): Promise<readonly DeliveryOutcome[]>;
  /**
   * After the outcomes of a batch are committed: a consumer that parks its other rows when one
   * batch fails can undo that here for a request that came while the batch was out. Must not throw.
   */
  settled?(keys: string[]): void;
}

/** Types a consumer literal by its schema, so `deliver` sees parsed payloads rather than `unknown`. */
export const defineConsumer = <P>(consumer: OutboxConsumer<P>): OutboxConsumer<P> => consumer;

export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 15 * 60_000 };

export const consumerSettingsSchema = z
  .object({
    topic: topicSchema,
    batchSize: z.number().int().min(1).max(1_000),
    maxAttempts: z.number().int().min(1).max(1_000),
    leaseMs: z.number().int().min(1).optional(),
    backoff: z
      .object({ baseMs: z.number().int().min(1), maxMs: z.number().int().min(1) })
      .refine((b) => b.maxMs >= b.baseMs, 'maxMs must be at least baseMs')
      .optional(),
  })
  .loose();

export interface OutboxTopicStatus {
  topic: string;
  /** Waiting for a first delivery or a retry, not held by a relay. */
  pending: number;
  /** Claimed by a relay whose lease has not ended. */
  leased: number;
  dead: number;
  delivered: number;
  /** Age of the oldest row not yet delivered nor dead; null when there is none. */
  oldestPendingAgeMs: number | null;
}

export type OutboxErrorCode = 'invalid_message' | 'invalid_consumer';

export class OutboxError extends Error {
  constructor(
    readonly code: OutboxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OutboxError';
  }
}
