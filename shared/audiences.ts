/**
 * Audiences: a creator account's fans and the segments a campaign targets. A segment definition
 * is data (the composer sends it, the core turns it into one SQL query), so the same definition
 * counts live in the picker and selects the recipients when the campaign is built.
 */
import { z } from 'zod';
import { accountIdSchema } from './accounts';

export const MAX_FAN_ID = 200;
export const MAX_FAN_NAME = 200;
export const MAX_TAG = 50;
export const MAX_TAGS_PER_FAN = 50;

export const fanIdSchema = z.string().min(1).max(MAX_FAN_ID);
export const tagSchema = z.string().trim().min(1).max(MAX_TAG);

export const FAN_SOURCES = ['csv', 'platform'] as const;
export type FanSource = (typeof FAN_SOURCES)[number];

export const fanSchema = z.object({
  fanId: fanIdSchema,
  name: z.string().nullable(),
  displayName: z.string().nullable(),
  totalSpendMicros: z.number().int().min(0),
  /** Epoch ms. */
  subscribedAt: z.number().int().nullable(),
  expiresAt: z.number().int().nullable(),
  tags: z.array(z.string()),
  source: z.enum(FAN_SOURCES),
  updatedAt: z.number().int(),
});
export type Fan = z.infer<typeof fanSchema>;

/** Spend tiers, highest first; a fan is in the highest tier whose threshold it reaches. */
export const SPEND_TIERS = ['whale', 'big', 'regular', 'none'] as const;
export type SpendTier = (typeof SPEND_TIERS)[number];

const micros = z.number().int().min(1).max(1_000_000_000_000);
/** Lowest lifetime spend (micro-dollars) of each tier; below `regular` is `none`. */
export const tierThresholdsSchema = z
  .object({ whale: micros, big: micros, regular: micros })
  .strict()
  .refine((t) => t.whale > t.big && t.big > t.regular, { params: { rule: 'tiers_descending' } });
export type TierThresholds = z.infer<typeof tierThresholdsSchema>;

export const DEFAULT_TIER_THRESHOLDS: TierThresholds = { whale: 1_000_000_000, big: 200_000_000, regular: 1 };

const days = z.number().int().min(1).max(3650);

export const segmentCriterionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('spend_tier'), tiers: z.array(z.enum(SPEND_TIERS)).min(1).max(4), thresholds: tierThresholdsSchema.optional() }).strict(),
  /** Subscribed within the last N days. */
  z.object({ kind: z.literal('new_subscribers'), withinDays: days }).strict(),
  /** Still subscribed, and the subscription ends within the next N days. */
  z.object({ kind: z.literal('expiring_soon'), withinDays: days }).strict(),
  /** The subscription has ended. */
  z.object({ kind: z.literal('expired') }).strict(),
  z.object({ kind: z.literal('has_tag'), tag: tagSchema }).strict(),
]);
export type SegmentCriterion = z.infer<typeof segmentCriterionSchema>;

/**
 * A fan is in the segment when it meets every criterion of `all` and, if `any` is not empty, at
 * least one of `any`. The empty segment is every fan of the account.
 */
export const segmentSchema = z
  .object({
    all: z.array(segmentCriterionSchema).max(20).default([]),
    any: z.array(segmentCriterionSchema).max(20).default([]),
  })
  .strict();
export type Segment = z.output<typeof segmentSchema>;
export type SegmentInput = z.input<typeof segmentSchema>;

export const namedSegmentSchema = z.object({ name: z.string().trim().min(1).max(80), segment: segmentSchema }).strict();
export type NamedSegment = z.output<typeof namedSegmentSchema>;

export const IMPORT_MODES = ['all_or_nothing', 'valid_rows'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** The columns a fan file may carry; only `fanId` is required. */
export const FAN_COLUMNS = ['fanId', 'name', 'displayName', 'totalSpend', 'subscribedAt', 'expiresAt', 'tags'] as const;
export type FanColumn = (typeof FAN_COLUMNS)[number];

/** Why a row was refused; the renderer words each (with the line and the column). */
export const ROW_ERROR_CODES = [
  'missing_fan_id',
  'too_long',
  'invalid_spend',
  'invalid_date',
  'too_many_tags',
  /** More cells than the header has columns. */
  'column_count',
  /** A quoting error the CSV reader could not get past (an unclosed quote, text after a closing quote). */
  'malformed',
  /** The same fan id on an earlier line of the same file; the first one counts. */
  'duplicate_fan_id',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

export const rowErrorSchema = z.object({
  line: z.number().int().min(1),
  code: z.enum(ROW_ERROR_CODES),
  column: z.enum(FAN_COLUMNS).nullable(),
});
export type RowError = z.infer<typeof rowErrorSchema>;

/** The error list stops growing here; `errorCount` still counts them all. */
export const MAX_ROW_ERRORS = 1000;

/** The largest fan file the renderer may upload (the 50 MB export the import is tested with, and room). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** One upload chunk before base64: well inside the browser host's frame limit (shared/limits). */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

export const importResultSchema = z.object({
  /** Fans new to the account. */
  imported: z.number().int(),
  /** Fans already there, now updated. */
  updated: z.number().int(),
  /** False when nothing was written (all_or_nothing with a bad row). */
  committed: z.boolean(),
  errors: z.array(rowErrorSchema),
  errorCount: z.number().int(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const fetchResultSchema = z.object({ imported: z.number().int(), updated: z.number().int(), pages: z.number().int() });
export type FetchResult = z.infer<typeof fetchResultSchema>;

export const audienceProgressSchema = z.object({
  accountId: accountIdSchema,
  operation: z.enum(['import', 'fetch']),
  /** Import: bytes read of `totalBytes`; fetch: 0 and null. */
  bytes: z.number().int(),
  totalBytes: z.number().int().nullable(),
  /** Rows read (import) or fans received (fetch) so far. */
  rows: z.number().int(),
  done: z.boolean(),
});
export type AudienceProgress = z.infer<typeof audienceProgressSchema>;

export const fanPageSchema = z.object({ fans: z.array(fanSchema), nextCursor: z.string().nullable() });

export const segmentCountSchema = z.object({ name: z.string(), segment: segmentSchema, count: z.number().int() });
export type SegmentCount = z.infer<typeof segmentCountSchema>;

export const DAY_MS = 86_400_000;

/** The segments the picker offers before the operator defines any. */
export const BUILT_IN_SEGMENTS: readonly NamedSegment[] = [
  { name: 'everyone', segment: { all: [], any: [] } },
  { name: 'whales', segment: { all: [{ kind: 'spend_tier', tiers: ['whale'] }], any: [] } },
  { name: 'big_spenders', segment: { all: [{ kind: 'spend_tier', tiers: ['big'] }], any: [] } },
  { name: 'regulars', segment: { all: [{ kind: 'spend_tier', tiers: ['regular'] }], any: [] } },
  { name: 'non_spenders', segment: { all: [{ kind: 'spend_tier', tiers: ['none'] }], any: [] } },
  { name: 'new_subscribers', segment: { all: [{ kind: 'new_subscribers', withinDays: 7 }], any: [] } },
  { name: 'expiring_soon', segment: { all: [{ kind: 'expiring_soon', withinDays: 7 }], any: [] } },
  { name: 'expired', segment: { all: [{ kind: 'expired' }], any: [] } },
];
