/**
 * Sends: one outgoing message to one fan, queued, paced by the limiter and delivered by the
 * account's transport. A campaign is just many sends under one job id. The shapes here are what
 * the core returns and the renderer shows; reasons are codes the renderer translates.
 */
import { z } from 'zod';
import { accountIdSchema } from './accounts';

/**
 * queued → sending → sent | failed | unknown; cancelled by the operator before it went.
 * `sending` on an export account means handed to the operator, waiting for their confirmation.
 */
export const SEND_STATES = ['queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled'] as const;
export type SendState = (typeof SEND_STATES)[number];

/** What a messaging transport answers when a send does not go through (main/messaging/transport.ts). */
export const SEND_FAILURE_REASONS = [
  'rate_limited',
  'unauthorized',
  'not_found',
  'bad_request',
  'server_error',
  'timeout',
  'connection',
  /** The body was handed to the OS, then the connection died before any reply. */
  'dropped_after_send',
  /** The reply was not what the API promises (not JSON, wrong shape). */
  'invalid_reply',
  /** The caller's signal aborted the send. */
  'cancelled',
] as const;
export type SendFailureReason = (typeof SEND_FAILURE_REASONS)[number];

/** Why a send failed or waits: the transport's reasons plus the queue's own. */
export const SEND_REASONS = [
  ...SEND_FAILURE_REASONS,
  /** Attempts used up on transient failures. */
  'attempts_exhausted',
  /** The account was removed while the send waited. */
  'account_removed',
  /** The account has no key (live HTTP account) or no transport it can reach. */
  'not_configured',
  /** The operator exported it and said it did not go out. */
  'not_sent_by_operator',
] as const;
export type SendReason = (typeof SEND_REASONS)[number];

export const MAX_CHAT_ID = 200;
export const MAX_SEND_TEXT = 10_000;
export const MAX_MEDIA_IDS = 50;
/** Quick sends share one job, so fairness across jobs treats them as one campaign. */
export const QUICK_SEND_JOB = 'quick';

export const jobIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,80}$/);
export const sendIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

export const sendRequestSchema = z
  .object({
    accountId: accountIdSchema,
    /** The fan's chat id on the platform. */
    chatId: z.string().trim().min(1).max(MAX_CHAT_ID),
    text: z.string().trim().min(1).max(MAX_SEND_TEXT),
    /** PPV price, integer micro-dollars. */
    priceMicros: z.number().int().min(0).max(1_000_000_000_000).optional(),
    mediaIds: z.array(z.string().min(1).max(200)).max(MAX_MEDIA_IDS).optional(),
    jobId: jobIdSchema.default(QUICK_SEND_JOB),
    /** The same key twice returns the first send instead of queueing another. */
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .strict();
export type SendRequest = z.input<typeof sendRequestSchema>;

export const sendSchema = z.object({
  id: sendIdSchema,
  jobId: jobIdSchema,
  accountId: accountIdSchema,
  chatId: z.string(),
  text: z.string(),
  priceMicros: z.number().int().nullable(),
  mediaIds: z.array(z.string()),
  state: z.enum(SEND_STATES),
  /** Set for failed and unknown sends, and for a queued send waiting out a retry (its last error). */
  reason: z.enum(SEND_REASONS).nullable(),
  /** Attempts made so far (a reconciliation is not an attempt). */
  attempts: z.number().int().min(0),
  /** Wall ms. */
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  sentAt: z.number().int().nullable(),
  /** A queued send waiting out a backoff or a Retry-After: not before this wall time. */
  notBefore: z.number().int().nullable(),
  /** The platform's id for the message, once sent through an API. */
  remoteId: z.string().nullable(),
});
export type Send = z.infer<typeof sendSchema>;

export const sendScopeSchema = z.union([
  z.object({ accountId: accountIdSchema }).strict(),
  z.object({ jobId: jobIdSchema }).strict(),
]);
export type SendScope = z.infer<typeof sendScopeSchema>;

export const sendListQuerySchema = z
  .object({
    accountId: accountIdSchema.optional(),
    jobId: jobIdSchema.optional(),
    states: z.array(z.enum(SEND_STATES)).max(SEND_STATES.length).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const accountSendStatsSchema = z.object({
  accountId: accountIdSchema,
  sentLastMinute: z.number().int().min(0),
  sentLastHour: z.number().int().min(0),
  sentLastDay: z.number().int().min(0),
  /** Wall ms of each send in the last 60 s, oldest first: the Limits page's bar. */
  recent: z.array(z.number().int()),
  /** Queued (including paused) sends. */
  queued: z.number().int().min(0),
  /** Sends in flight, or handed out for an export account. */
  sending: z.number().int().min(0),
  unknown: z.number().int().min(0),
  /** Failed sends in the last day. */
  failed: z.number().int().min(0),
  /** Times the platform or a limiter layer made this account wait, in the last day. */
  throttled: z.number().int().min(0),
  /** Wall ms when the limiter will next allow a send on this account (≤ now: free now). */
  nextSlotAt: z.number().int(),
  /** The layer that decides `nextSlotAt` when it is in the future. */
  limitedBy: z.enum(['account', 'operator', 'global', 'platform']).nullable(),
  paused: z.boolean(),
  /** The transport stopped answering; sends wait and resume by themselves. */
  offline: z.boolean(),
  lastError: z.object({ reason: z.enum(SEND_REASONS), at: z.number().int() }).nullable(),
  /** The account's limits as configured: the page draws the budget against them. */
  perMinute: z.number().int(),
  minSpacingSeconds: z.number().int(),
  /** The account's budget is shared with the team's other seats, or held to an offline share of 1/seats (absent: this seat alone). */
  shared: z.object({ mode: z.enum(['shared', 'offline']), seats: z.number().int().min(1) }).nullable().optional(),
});
export type AccountSendStats = z.infer<typeof accountSendStatsSchema>;

/** One step of one send, batched in `sends.progress`. */
export const sendProgressSchema = z.object({
  id: sendIdSchema,
  accountId: accountIdSchema,
  jobId: jobIdSchema,
  state: z.enum(SEND_STATES),
  reason: z.enum(SEND_REASONS).nullable(),
});
export type SendProgress = z.infer<typeof sendProgressSchema>;

export const EXPORT_FORMATS = ['csv', 'text'] as const;

/** What the Sandbox's OnlyFans server can be told to do to an account's next sends. */
export const SANDBOX_SEND_FAULTS = ['rate_limit', 'server_error', 'timeout', 'accept_then_drop'] as const;
