import { z } from 'zod';
import { thresholdIdSchema } from '../budgets';
import { type EventTable, type MethodTable, noInput } from './define';

const micros = z.number().int().nonnegative();

/** This seat's share of one team hard-stop threshold this period (main/aws/spend-budget.ts). */
export const spendAllowanceSchema = z
  .object({
    thresholdId: thresholdIdSchema,
    period: z.string(),
    /** `shared`: this seat's grant, leased from the team's item; `offline`: the team was not reached, a conservative share applies; `idle`: nothing leased this period yet. */
    mode: z.enum(['shared', 'offline', 'idle']),
    allowanceMicros: micros,
    grantMicros: micros,
    /** What the team has leased, as this seat last saw it. */
    leasedMicros: micros,
    limitMicros: micros,
    spentMicros: micros,
    seats: z.number().int().positive(),
  })
  .strict();
export type SpendAllowanceView = z.infer<typeof spendAllowanceSchema>;

export const teamSpendStateSchema = z.object({ allowances: z.array(spendAllowanceSchema) }).strict();
export type TeamSpendState = z.infer<typeof teamSpendStateSchema>;

export const teamSpendMethods = {
  /** From memory: what this seat holds of each team hard stop; no DynamoDB call. */
  'teamSpend.get': { input: noInput, output: teamSpendStateSchema },
} as const satisfies MethodTable;

export const teamSpendEvents = {
  /** A lease was taken, or the seat went to (or came back from) its offline share. */
  'teamSpend.changed': teamSpendStateSchema,
} as const satisfies EventTable;
