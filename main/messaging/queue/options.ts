import type { Account } from '../../../shared/accounts';
import type { SendProgress } from '../../../shared/sending';
import type { Db } from '../../db/open';
import type { LimiterConfig, LimiterTimers, RateLimiter } from '../../limits';
import type { BackoffPolicy } from '../../outbox/types';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { MessagingTransport } from '../transport';

/**
 * The account's rate budget shared with the team's other seats (main/aws/rate-budget.ts), asked
 * before the local limiter: live profile only. Keyed by the platform's account id, the one name
 * every seat shares (local account ids differ per data folder). Structural, so the queue does
 * not load the AWS SDK.
 */
export interface SharedAccountBudget {
  check(accountId: string, limit: { perMinute: number; minSpacingMs: number }): { allowed: true } | { allowed: false; waitMs: number | null };
  consume(accountId: string): void;
  settled(accountId: string): void;
  onReady(listener: (accountId: string) => void): () => void;
  status(accountId: string): { mode: 'local' } | { mode: 'shared' | 'offline'; seats: number };
}

export interface SendQueueOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** One per profile database: its memory is the authority while it runs. */
  limiter: RateLimiter;
  /** Read at construction (when synchronous), at `start()` and at each `refreshAccounts()`. */
  accounts: () => readonly Account[] | Promise<readonly Account[]>;
  /** null: the account cannot send automatically here (no key, or a sandbox account in the live profile). Export accounts are never asked. */
  transportFor: (account: Account) => MessagingTransport | null | Promise<MessagingTransport | null>;
  /** Checked on every enqueue. */
  restricted: () => { checkText(text: string): { ok: true } | { ok: false; word: string } };
  /** The operator key for the limiter's operator layer. */
  operator: () => string;
  /** After each commit that moved sends. */
  onProgress?: (changes: SendProgress[]) => void;
  /** An account's or a job's pause or offline state flipped. */
  onQueueChanged?: (scope: { accountId: string | null; jobId: string | null }) => void;
  timers?: LimiterTimers;
  random?: () => number;
  /** Attempts on transient failures before a send fails `attempts_exhausted` (default 8). */
  maxAttempts?: number;
  /** Retry delays, full jitter as the outbox relay's (default 1 s doubling to 5 min). */
  backoff?: BackoffPolicy;
  /** Probes of an offline transport, capped exponential (default 1 s doubling to 30 s). */
  offlineBackoff?: BackoffPolicy;
  /** What the limiter's account layer gets (default: the account's own limits). Tests and benches pass fast limits. */
  limitFor?: (account: Account) => { perMinute: number; burst: number; minSpacingMs: number };
  /** Added to every interval; see DEFAULT_PACE_MARGIN_MS. */
  paceMarginMs?: number;
  /**
   * When given, each account's transport is asked once for its plan (Test connection) when it is
   * built and after every probe that gets through, and the limiter is tightened to it over `base`
   * (the limiter's own configuration): see plan.ts. Sending does not wait on the answer beyond
   * the transport's timeout, and goes on at the configured limits when there is none.
   */
  planLimits?: { base: LimiterConfig };
  /** The team's shared budget per account (live profile, team layer configured); absent: the local limiter alone. */
  shared?: SharedAccountBudget;
  /** How long `stop()` lets in-flight sends settle before aborting them (default 5 s). */
  stopTimeoutMs?: number;
}

export const realTimers: LimiterTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
