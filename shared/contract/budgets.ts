import { z } from 'zod';
import { alertChannelSchema, alertMessageSchema } from '../alerts';
import { budgetModelSchema } from '../budgets';
import { type EventTable, type MethodTable, noInput } from './define';

const alertIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,120}$/);

/** One fired alert as the history shows it, with each channel's delivery as the outbox has it. */
export const alertEntrySchema = alertMessageSchema.extend({
  acknowledgedAt: z.number().int().nullable(),
  channels: z.array(
    z.object({
      channel: alertChannelSchema,
      state: z.enum(['pending', 'delivered', 'dead']),
      /** Redacted as stored by the outbox. */
      lastError: z.string().nullable(),
    }),
  ),
});
export type AlertEntry = z.infer<typeof alertEntrySchema>;

/** Budgets (thresholds, alert levels, hard stops) and the alerts they fired, per profile. */
export const budgetsMethods = {
  'costs.thresholds': { input: noInput, output: budgetModelSchema },
  /** Replaces the whole model; field problems come back as issues at `thresholds.<i>.<field>`. */
  'costs.setThresholds': { input: budgetModelSchema, output: budgetModelSchema },
  /** Newest first. */
  'costs.alerts': { input: noInput, output: z.array(alertEntrySchema) },
  'alerts.acknowledge': {
    input: z.object({ id: alertIdSchema }).strict(),
    output: z.object({ id: alertIdSchema, acknowledgedAt: z.number().int() }),
  },
} as const satisfies MethodTable;

export const budgetsEvents = {
  /** An alert fired or was acknowledged: the history is stale. */
  'alerts.changed': z.object({ id: alertIdSchema.nullable() }),
  /** The budget model was replaced. */
  'budgets.changed': budgetModelSchema,
} as const satisfies EventTable;

