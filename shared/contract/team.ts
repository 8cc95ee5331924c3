import { z } from 'zod';
import { dayNumber, localDateSchema, measuresSchema } from '../costs';
import { MAX_COST_RANGE_DAYS } from '../limits';
import type { MethodTable } from './define';

/** The same local-date range the seat view's series and breakdown take (the agency's days). */
export const teamCostsInputSchema = z
  .object({ from: localDateSchema, to: localDateSchema })
  .strict()
  .superRefine((r, ctx) => {
    const span = dayNumber(r.to) - dayNumber(r.from);
    if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], params: { rule: 'date_order' } });
    else if (span + 1 > MAX_COST_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], params: { rule: 'max_range_days', maximum: MAX_COST_RANGE_DAYS } });
  });
export type TeamCostsInput = z.output<typeof teamCostsInputSchema>;

export const teamCostsSchema = z.object({
  zone: z.string(),
  from: localDateSchema,
  to: localDateSchema,
  /** Every local day of the range; `totals` and each series have one value per day. */
  days: z.array(localDateSchema),
  totals: z.array(z.number().int().nonnegative()),
  series: z.array(z.object({ provider: z.string(), micros: z.array(z.number().int().nonnegative()) })),
  total: measuresSchema,
  byProvider: z.array(measuresSchema.extend({ provider: z.string() })),
  byModel: z.array(measuresSchema.extend({ provider: z.string(), model: z.string() })),
  /** `campaign` null: spend outside any campaign; `name` null when this seat does not know the campaign. */
  byCampaign: z.array(measuresSchema.extend({ campaign: z.string().nullable(), name: z.string().nullable() })),
  bySeat: z.array(measuresSchema.extend({ seat: z.string(), operator: z.string(), thisSeat: z.boolean(), updatedAt: z.number().int().nonnegative() })),
  /** The stalest seat's last push (ms): the team figure includes everything every seat had synced by then. Null with no items. */
  asOf: z.number().int().nonnegative().nullable(),
  /** Items that failed their schema: left out of every figure, counted so the page can say so. */
  skipped: z.number().int().nonnegative(),
});
export type TeamCosts = z.infer<typeof teamCostsSchema>;

/** The whole team's AI spend, summed from every seat's aggregates in DynamoDB (live profile only). */
export const teamMethods = {
  'team.costs': { input: teamCostsInputSchema, output: teamCostsSchema },
} as const satisfies MethodTable;
