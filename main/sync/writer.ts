import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { fullJitterDelayMs } from '../outbox/backoff';
import type { BackoffPolicy } from '../outbox/types';

/**
 * Why a sync pass stopped, as the operator's fix sees it: `offline` and `throttled` resolve by
 * themselves (the rows wait and go again), `access_denied` wants the doctor, `table_missing`
 * wants provisioning, `rejected` is a request DynamoDB refused for its content.
 */
export type SyncFailure = 'offline' | 'throttled' | 'access_denied' | 'table_missing' | 'rejected';

export class SyncError extends Error {
  constructor(
    readonly code: SyncFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }

  get retryable(): boolean {
    return this.code === 'offline' || this.code === 'throttled';
  }
}

const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'InternalServerError', 'ServiceUnavailable', 'LimitExceededException']);
const DENIED = new Set(['AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'MissingAuthenticationTokenException', 'ExpiredTokenException', 'IncompleteSignature']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED']);

/** Maps what the SDK threw to the fix it needs; the message keeps only the service's name for it. */
export function classifyAwsError(err: unknown): SyncError {
  if (err instanceof SyncError) return err;
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLED.has(name) || (status !== undefined && status >= 500)) return new SyncError('throttled', name);
  if (DENIED.has(name)) return new SyncError('access_denied', name);
  if (name === 'ResourceNotFoundException') return new SyncError('table_missing', name);
  if ((e.code && NETWORK_CODES.has(e.code)) || name === 'TimeoutError' || name === 'RequestTimeout' || /socket hang up|ECONNRESET|ECONNREFUSED|timed? ?out/i.test(e.message ?? '')) {
    return new SyncError('offline', e.code ?? name);
  }
  return new SyncError('rejected', name);
}

export interface WriterOptions {
  /** Groups of 25 in flight at once. */
  concurrency?: number;
  /** Tries of one group (UnprocessedItems, throttling, a dropped connection) before the pass gives up. */
  maxTries?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Waits between tries; injectable so tests drive retries without sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

export const BATCH_LIMIT = 25;
const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 50, maxMs: 5_000 };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Puts items with BatchWriteItem, 25 per request, a few requests at a time. UnprocessedItems go
 * again after a full-jitter wait, as do throttling and dropped connections; every item is a
 * put under a deterministic key, so a request whose answer was lost can simply be sent again.
 */
export class BatchWriter {
  private readonly concurrency: number;
  private readonly maxTries: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Requests sent, for tests and the bench: retries included. */
  requests = 0;

  constructor(options: WriterOptions = {}) {
    this.concurrency = options.concurrency ?? 4;
    this.maxTries = options.maxTries ?? 6;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? realSleep;
  }

  async putAll(dynamo: DynamoDBClient, table: string, items: readonly Record<string, unknown>[], signal?: AbortSignal): Promise<void> {
    const groups: WriteRequest[][] = [];
    for (let i = 0; i < items.length; i += BATCH_LIMIT) {
      groups.push(items.slice(i, i + BATCH_LIMIT).map((item) => ({ PutRequest: { Item: marshall(item) } })));
    }
    let next = 0;
    let failure: unknown = null;
    const lane = async () => {
      while (failure === null && next < groups.length) {
        const group = groups[next++]!;
        try {
          await this.putGroup(dynamo, table, group, signal);
        } catch (err) {
          failure ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, groups.length) }, lane));
    if (failure !== null) throw failure;
  }

  private async putGroup(dynamo: DynamoDBClient, table: string, group: WriteRequest[], signal?: AbortSignal): Promise<void> {
    let pending = group;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new SyncError('offline', 'stopped');
      let error: SyncError;
      try {
        this.requests++;
        const reply = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }), { abortSignal: signal });
        const rest = reply.UnprocessedItems?.[table] ?? [];
        if (rest.length === 0) return;
        pending = rest;
        error = new SyncError('throttled', 'UnprocessedItems');
      } catch (err) {
        error = classifyAwsError(err);
        // Refused connections mean DynamoDB is not there at all: the relay's longer backoff fits better than ours.
        if (!error.retryable || error.message === 'ECONNREFUSED') throw error;
      }
      if (attempt >= this.maxTries) throw error;
      await this.sleep(fullJitterDelayMs(attempt, this.backoff, this.random));
    }
  }
}
