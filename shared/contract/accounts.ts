import { z } from 'zod';
import { accountCreateSchema, accountIdSchema, accountSchema, accountUpdateSchema } from '../accounts';
import { restrictedListSchema, restrictedSetSchema } from '../restricted';
import { type EventTable, type MethodTable, noInput } from './define';

/** Creator accounts and restricted words of the active profile (the Sandbox has its own). */
export const accountsMethods = {
  /** By name. */
  'accounts.list': { input: noInput, output: z.array(accountSchema) },
  /** Field problems come back as issues; a platform account id already used is `platformAccountId` with rule `duplicate`. */
  'accounts.create': { input: accountCreateSchema, output: accountSchema },
  'accounts.update': { input: accountUpdateSchema, output: accountSchema },
  'accounts.remove': { input: z.object({ id: accountIdSchema }).strict(), output: z.object({ id: accountIdSchema }) },
  'restricted.get': { input: noInput, output: restrictedListSchema },
  /** Replaces the agency's list; the defaults always apply. */
  'restricted.set': { input: restrictedSetSchema, output: restrictedListSchema },
} as const satisfies MethodTable;

export const accountsEvents = {
  /** An account was created, edited or removed (null: the whole list, e.g. after a profile switch). */
  'accounts.changed': z.object({ id: accountIdSchema.nullable() }),
  'restricted.changed': restrictedListSchema,
} as const satisfies EventTable;
