import { z } from 'zod';
import { type EventTable, type MethodTable, noInput } from './define';

export const SYNC_STATES = ['off', 'idle', 'syncing', 'offline', 'error'] as const;
export const SYNC_ERROR_CODES = ['offline', 'throttled', 'access_denied', 'table_missing', 'rejected', 'not_configured', 'no_keys', 'secrets_unreadable'] as const;

/**
 * The team sync of this seat's ledger. `backlogRows` counts cost rows not yet in DynamoDB (not
 * outbox rows); `oldestPendingAgeMs` is the lag of the oldest of them; `syncedRows` counts rows
 * synced since the app started. `backlogAlerts` counts this seat's budget alerts not yet in the
 * team's alerts table (new or newly acknowledged); the lag covers them too.
 */
export const syncStatusSchema = z.object({
  state: z.enum(SYNC_STATES),
  lastSyncAt: z.number().int().nullable(),
  backlogRows: z.number().int().nonnegative(),
  oldestPendingAgeMs: z.number().int().nonnegative().nullable(),
  lastError: z.object({ code: z.enum(SYNC_ERROR_CODES), params: z.record(z.string(), z.union([z.string(), z.number()])) }).nullable(),
  syncedRows: z.number().int().nonnegative(),
  backlogAlerts: z.number().int().nonnegative(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncMethods = {
  'sync.status': { input: noInput, output: syncStatusSchema },
  /** Makes every waiting row due now and wakes the relay; answers before the pass ends (`sync.changed` follows). */
  'sync.now': { input: noInput, output: syncStatusSchema },
} as const satisfies MethodTable;

export const syncEvents = {
  /** At most about once a second, whatever the number of rows. */
  'sync.changed': syncStatusSchema,
} as const satisfies EventTable;
