import { z } from 'zod';
import { requestDetailSchema, requestsListInputSchema, requestsPageSchema } from '../requests';
import type { EventTable, MethodTable } from './define';

/** The request log of the active profile: Sandbox mode reads the Sandbox database, never the live one. */
export const requestsMethods = {
  /** Newest first, keyset-paged from an index; filters and search look at a bounded window per page. */
  'requests.list': { input: requestsListInputSchema, output: requestsPageSchema },
  /** One request with each attempt and each skipped step; null when the profile has no such request. */
  'requests.get': { input: z.object({ id: z.string().min(1).max(64) }).strict(), output: requestDetailSchema.nullable() },
} as const satisfies MethodTable;

export const requestsEvents = {
  /** Requests ended and were logged (coalesced to a few per second), failed ones included. */
  'requests.updated': z.object({ count: z.number().int().positive() }),
} as const satisfies EventTable;
