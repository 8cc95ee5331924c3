import { z } from 'zod';

/** A capability's share of the contract: method name → input and output schemas. */
export type MethodTable = Record<string, { input: z.ZodType; output: z.ZodType }>;
export type EventTable = Record<string, z.ZodType>;

export const noInput = z.object({}).strict();
