import { z } from 'zod';
import { MAX_COST_ID_CHARS, MAX_COST_RANGE_DAYS } from './limits';

export const COST_DIMENSIONS = ['provider', 'model', 'purpose', 'campaign', 'operator'] as const;
export type CostDimension = (typeof COST_DIMENSIONS)[number];

const DAY_MS = 86_400_000;

/** Day number (days since 1970-01-01) of a calendar date written YYYY-MM-DD. */
export function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A local calendar date in the agency's zone; 2026-02-30 is refused, not rolled over. */
export const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  // zod runs this even when the pattern failed: a string that is no date at all must not throw here.
  .refine((s) => {
    const day = dayNumber(s);
    return Number.isFinite(day) && isoDay(day) === s;
  }, { params: { rule: 'calendar_date' } });

const rangeShape = { from: localDateSchema, to: localDateSchema };

/** from ≤ to and at most MAX_COST_RANGE_DAYS days, both named rules the renderer words. */
const checkRange = (r: { from: string; to: string }, ctx: z.RefinementCtx) => {
  const span = dayNumber(r.to) - dayNumber(r.from);
  if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], params: { rule: 'date_order' } });
  else if (span + 1 > MAX_COST_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], params: { rule: 'max_range_days', maximum: MAX_COST_RANGE_DAYS } });
};

export const measuresSchema = z.object({
  micros: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
export type Measures = z.infer<typeof measuresSchema>;

const byProviderSchema = z.array(measuresSchema.extend({ provider: z.string() }));
const byModelSchema = z.array(measuresSchema.extend({ provider: z.string(), model: z.string() }));

export const costPeriodSchema = z.object({
  from: localDateSchema,
  to: localDateSchema,
  total: measuresSchema,
  byProvider: byProviderSchema,
  byModel: byModelSchema,
});

export const costStatsSchema = z.object({
  /** The zone the figures are in: the previous one while a time-zone rebuild runs. */
  zone: z.string(),
  today: costPeriodSchema,
  yesterday: costPeriodSchema,
  thisMonth: costPeriodSchema,
  last30Days: costPeriodSchema,
});
export type CostStats = z.infer<typeof costStatsSchema>;

const idSchema = z.string().min(1).max(MAX_COST_ID_CHARS);

export const breakdownInputSchema = z
  .object({
    ...rangeShape,
    groupBy: z
      .array(z.enum(COST_DIMENSIONS))
      .min(1)
      .max(3)
      .refine((g) => new Set(g).size === g.length, { params: { rule: 'distinct' } }),
    /** Equality per dimension; `null` campaign or operator means rows without one. */
    filters: z
      .object({
        provider: idSchema,
        model: idSchema,
        purpose: idSchema,
        campaign: idSchema.nullable(),
        operator: idSchema.nullable(),
      })
      .partial()
      .strict()
      .default({}),
    top: z.number().int().min(1).max(100).default(20),
  })
  .strict()
  .superRefine(checkRange);
export type BreakdownInput = z.output<typeof breakdownInputSchema>;

export const breakdownRowSchema = measuresSchema.extend({
  /** Value per grouped dimension; null for rows without a campaign or operator, and in the "other" row. */
  key: z.partialRecord(z.enum(COST_DIMENSIONS), z.string().nullable()),
  other: z.boolean(),
});

export const breakdownSchema = z.object({
  zone: z.string(),
  from: localDateSchema,
  to: localDateSchema,
  groupBy: z.array(z.enum(COST_DIMENSIONS)),
  rows: z.array(breakdownRowSchema),
  total: measuresSchema,
});
export type Breakdown = z.infer<typeof breakdownSchema>;

export const seriesInputSchema = z
  .object({ ...rangeShape, byModel: z.boolean().default(false) })
  .strict()
  .superRefine(checkRange);

export const seriesSchema = z.object({
  zone: z.string(),
  /** Every local day of the range, in order; each series has one value per day (0 when nothing was spent). */
  days: z.array(localDateSchema),
  series: z.array(z.object({ provider: z.string(), model: z.string().nullable(), micros: z.array(z.number().int().nonnegative()) })),
  totals: z.array(z.number().int().nonnegative()),
});
export type CostSeries = z.infer<typeof seriesSchema>;

export const campaignCostsSchema = z.object({
  campaignId: z.string(),
  zone: z.string(),
  total: measuresSchema,
  /**
   * Messages AI wrote for the campaign (its recipients with an AI text): the divisor of
   * perMessageMicros. For a campaign id only the ledger knows, its personalize requests.
   */
  messages: z.number().int().nonnegative(),
  /** Everything the campaign spent (every purpose) per message AI wrote; null before the first. */
  perMessageMicros: z.number().int().nonnegative().nullable(),
  byProvider: byProviderSchema,
  byModel: byModelSchema,
  byPurpose: z.array(measuresSchema.extend({ purpose: z.string() })),
  /** Zero-filled from the first to the last day with spend (the last MAX_COST_RANGE_DAYS at most). */
  timeline: z.array(z.object({ day: localDateSchema, micros: z.number().int().nonnegative(), requests: z.number().int().nonnegative() })),
});
export type CampaignCosts = z.infer<typeof campaignCostsSchema>;

export const rebuildProgressSchema = z.object({
  zone: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  finished: z.boolean(),
});
