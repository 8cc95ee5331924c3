import { z } from 'zod';
import { CIRCUIT_STATES, providerHealthSchema, providerIdSchema } from '../ai';
import type { EventTable, MethodTable } from './define';

export const circuitsMethods = {
  /** Closes the provider's circuit now; the operator's name and the time are recorded. Answers the provider's new health row. */
  'circuits.reset': { input: z.object({ provider: providerIdSchema }).strict(), output: providerHealthSchema },
} as const satisfies MethodTable;

/** Most recent streamed text of one Playground request; `attempt` restarts the text when a retry or fallback begins. */
export const aiDeltaSchema = z.object({
  streamId: z.string(),
  attempt: z.number().int().positive(),
  text: z.string(),
});

export const circuitsEvents = {
  /** A circuit opened, went half-open, closed or was reset. */
  'circuits.changed': z.object({ provider: providerIdSchema, state: z.enum(CIRCUIT_STATES) }),
  /** Text of a streamed completion as it arrives, coalesced; sent only for requests that carry a streamId. */
  'ai.delta': aiDeltaSchema,
} as const satisfies EventTable;
