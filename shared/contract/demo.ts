import { z } from 'zod';
import { type EventTable, type MethodTable, noInput } from './define';

/** The demo seed's steps, in order; each later capability adds its own. */
export const DEMO_STEPS = ['providers', 'spend'] as const;

const demoStateSchema = z.object({
  /** No provider set up in the live profile and the demo never seeded: Home offers the two first steps. */
  firstRun: z.boolean(),
  /** When the Sandbox profile was last seeded with demo data; null if never. */
  seededAt: z.number().int().nullable(),
  liveProviderConfigured: z.boolean(),
});

export const demoMethods = {
  'demo.state': { input: noInput, output: demoStateSchema },
  /** Fills the Sandbox profile with demo data; refused (conflict `demo_live`) while the live profile is active. */
  'demo.seed': { input: noInput, output: z.object({ costRows: z.number().int().nonnegative(), seededAt: z.number().int() }) },
} as const satisfies MethodTable;

export const demoEvents = {
  /** One step of a seed moved: `done` of `total` units of step `stepIndex` (0-based) of `steps`. */
  'demo.progress': z.object({
    step: z.enum(DEMO_STEPS),
    stepIndex: z.number().int().nonnegative(),
    steps: z.number().int().positive(),
    done: z.number().int().nonnegative(),
    total: z.number().int().positive(),
  }),
  /** A seed finished: Home's first-run offer is over in every window. */
  'demo.seeded': z.object({ seededAt: z.number().int() }),
} as const satisfies EventTable;
