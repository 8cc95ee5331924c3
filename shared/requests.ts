/** The request log: one row per AI request of the active profile, as the renderer pages through it. */
import { z } from 'zod';
import { attemptSchema, completionResultSchema, MODEL_CLASSES, PURPOSES, providerIdSchema, usageSchema } from './ai';

export const REQUEST_OUTCOMES = ['ok', 'refused', 'failed'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

export const MAX_REQUESTS_PAGE = 200;
/** Search text is matched as a substring, so it stays short: an id, a campaign, an operator, a model. */
export const MAX_REQUEST_SEARCH_CHARS = 100;

/**
 * Where a page ends: the last row's start time and its sequence number, so the next page starts
 * strictly after it in the log's (ts, seq) order. Opaque to the renderer.
 */
export const requestCursorSchema = z.string().regex(/^\d{1,16}\.\d{1,16}$/);

const text = z.string().trim().min(1).max(128);

export const requestFiltersSchema = z
  .object({
    /** The provider that served the request or, when none did, the last one tried. */
    provider: providerIdSchema.optional(),
    outcome: z.enum(REQUEST_OUTCOMES).optional(),
    purpose: z.enum(PURPOSES).optional(),
    campaign: text.optional(),
    /** A substring of the request id, campaign, operator, deployment or model. */
    search: z.string().trim().min(1).max(MAX_REQUEST_SEARCH_CHARS).optional(),
  })
  .strict();
export type RequestFilters = z.infer<typeof requestFiltersSchema>;

export const requestsListInputSchema = z
  .object({
    before: requestCursorSchema.optional(),
    limit: z.number().int().min(1).max(MAX_REQUESTS_PAGE).default(50),
    filters: requestFiltersSchema.default({}),
  })
  .strict();
export type RequestsListInput = z.input<typeof requestsListInputSchema>;

const count = z.number().int().nonnegative();

export const requestRowSchema = z.object({
  id: z.string(),
  /** When the request started (epoch ms). */
  ts: z.number().int(),
  purpose: z.enum(PURPOSES),
  modelClass: z.enum(MODEL_CLASSES),
  campaignId: z.string().nullable(),
  operatorId: z.string().nullable(),
  outcome: z.enum(REQUEST_OUTCOMES),
  errorKind: completionResultSchema.shape.error.unwrap().shape.kind.nullable(),
  provider: providerIdSchema.nullable(),
  deployment: z.string().nullable(),
  baseModel: z.string().nullable(),
  attemptCount: count,
  usage: usageSchema,
  costMicros: count,
  /** From the request's start to its answer, waits between attempts included. */
  latencyMs: count,
  servedByFallback: z.boolean(),
  downgraded: z.boolean(),
});
export type RequestRow = z.infer<typeof requestRowSchema>;

export const requestsPageSchema = z.object({
  rows: z.array(requestRowSchema),
  /**
   * Null at the end of the log. A page may hold fewer rows than asked (even none) and still have
   * a cursor: a filtered page looks at a bounded window of the log, never all of it.
   */
  nextCursor: requestCursorSchema.nullable(),
});
export type RequestsPage = z.infer<typeof requestsPageSchema>;

export const requestDetailSchema = requestRowSchema.extend({
  attempts: z.array(attemptSchema),
  skipped: completionResultSchema.shape.skipped,
  errorDetail: z.string().nullable(),
});
export type RequestDetail = z.infer<typeof requestDetailSchema>;
