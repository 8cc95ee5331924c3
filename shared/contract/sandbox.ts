import { z } from 'zod';
import { SANDBOX_FAULTS, sandboxTargetSchema } from '../sandbox';
import { type EventTable, type MethodTable, noInput } from './define';

const sandboxStateSchema = z.object({
  enabled: z.boolean(),
  url: z.string().nullable(),
  faults: z.partialRecord(sandboxTargetSchema, z.enum(SANDBOX_FAULTS)),
});

export const sandboxMethods = {
  'sandbox.state': { input: noInput, output: sandboxStateSchema },
  'sandbox.setFault': {
    input: z.object({ target: sandboxTargetSchema, fault: z.enum(SANDBOX_FAULTS).nullable() }).strict(),
    output: sandboxStateSchema,
  },
} as const satisfies MethodTable;

export const sandboxEvents = {
  /** The sandbox's standing faults changed; the payload is its whole new state. */
  'sandbox.changed': sandboxStateSchema,
} as const satisfies EventTable;
