import { z } from 'zod';
import { providerHealthSchema } from '../ai';
import { type MethodTable, noInput } from './define';

const appInfoSchema = z.object({
  name: z.string(),
  productName: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'web']),
  platform: z.string(),
});

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  appVersion: z.string(),
  uptimeMs: z.number().int().nonnegative(),
  dataDir: z.string(),
  db: z.object({
    open: z.boolean(),
    path: z.string(),
    schemaVersion: z.number().int(),
    latestSchemaVersion: z.number().int(),
    journalMode: z.string(),
    sizeBytes: z.number().int().nonnegative(),
  }),
  providers: z.array(providerHealthSchema),
  sandboxMode: z.boolean(),
});

export const healthMethods = {
  'app.info': { input: noInput, output: appInfoSchema },
  'health.get': { input: noInput, output: healthSchema },
  /** Where the log files are, for Settings → About and support. */
  'app.logs': { input: noInput, output: z.object({ dir: z.string() }) },
  'app.openLogsFolder': { input: noInput, output: z.object({ dir: z.string(), opened: z.boolean() }) },
} as const satisfies MethodTable;
