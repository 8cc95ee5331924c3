/**
 * What the team tables' items hold, as zod schemas: the writer builds them with these types and
 * every reader parses what DynamoDB returns (a reply from the network is input like any other).
 * Numbers are integers (money in micro-dollars); a missing campaign is '-' (keys cannot be empty).
 */
import { z } from 'zod';
import { alertMessageSchema } from '../../shared/alerts';

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** How many ledger rows one `ROW#` item holds at most (a block of `seq`). */
export const ROWS_PER_ITEM = 64;

/** One ledger row, as it sits in a block item. */
export const ledgerRowSchema = z.object({
  id: z.string(),
  seq: count,
  operator: z.string(),
  ts: count,
  provider: z.string(),
  deployment: z.string(),
  model: z.string(),
  purpose: z.string(),
  campaign: z.string(),
  requestId: z.string(),
  attempt: count,
  inputTokens: count,
  cachedInputTokens: count,
  outputTokens: count,
  costMicros: count,
  status: z.string(),
  priceSource: z.string(),
});
export type LedgerRow = z.infer<typeof ledgerRowSchema>;

/** A block of one seat's ledger rows of one day, under `keys.rows(day, seat, block)`. */
export const ledgerRowsItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  seat: z.string(),
  day: z.string(),
  block: count,
  rows: z.array(ledgerRowSchema).min(1).max(ROWS_PER_ITEM),
});
export type LedgerRowsItem = z.infer<typeof ledgerRowsItemSchema>;

/**
 * One seat's absolute totals for one day or month × provider × model × campaign, under
 * `keys.aggregate(...)`. `asOfSeq` is the highest local `ai_costs.seq` the totals include.
 * The team's figure for a period is the sum of every seat's items under its `pk`.
 */
export const aggregateItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  seat: z.string(),
  operator: z.string(),
  unit: z.enum(['day', 'month']),
  bucket: z.string(),
  provider: z.string(),
  model: z.string(),
  campaign: z.string(),
  requests: count,
  inputTokens: count,
  cachedInputTokens: count,
  outputTokens: count,
  costMicros: count,
  asOfSeq: count,
  updatedAt: count,
});
export type AggregateItem = z.infer<typeof aggregateItemSchema>;

/** A seat as the team sees it, under `keys.seat(id)`: refreshed by every sync pass. */
export const seatItemSchema = z.object({
  pk: z.literal('SEAT'),
  sk: z.string(),
  operator: z.string(),
  lastSeenAt: count,
});
export type SeatItem = z.infer<typeof seatItemSchema>;

/**
 * One seat's own budget alert in the alerts table, under `keys.seatAlert(month, seat, id)`:
 * rewritten whole from the local history, so a replay or a re-push after acknowledgement
 * leaves one item with the latest state.
 */
export const seatAlertItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  kind: z.literal('seat'),
  alertId: z.string(),
  seat: z.string(),
  operator: z.string(),
  firedAt: count,
  acknowledgedAt: count.nullable(),
  message: alertMessageSchema,
});
export type SeatAlertItem = z.infer<typeof seatAlertItemSchema>;
