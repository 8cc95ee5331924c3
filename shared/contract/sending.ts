import { z } from 'zod';
import { accountIdSchema } from '../accounts';
import {
  accountSendStatsSchema,
  EXPORT_FORMATS,
  jobIdSchema,
  SANDBOX_SEND_FAULTS,
  sendIdSchema,
  sendListQuerySchema,
  sendProgressSchema,
  sendRequestSchema,
  sendSchema,
  sendScopeSchema,
} from '../sending';
import { type EventTable, type MethodTable, noInput } from './define';

/** Sending through the limiter and the queue, for the active profile's accounts. */
export const sendingMethods = {
  /**
   * One message through the restricted-words check, the limiter and the queue: it returns the
   * queued send at once; progress follows as `sends.progress`. A text with a restricted word is
   * refused with `restricted_word` {word} and nothing is stored.
   */
  'onlyfans.sendMessage': { input: sendRequestSchema, output: sendSchema },
  /** Per account (all accounts when none is named): sent in the last minute, hour and day, queue, next slot, errors. */
  'onlyfans.stats': { input: z.object({ accountId: accountIdSchema.optional() }).strict(), output: z.array(accountSendStatsSchema) },
  /** Newest first. */
  'sends.list': { input: sendListQuerySchema, output: z.array(sendSchema) },
  /** Holds an account's or a job's queued sends; a send already in flight finishes. */
  'queue.pause': { input: sendScopeSchema, output: z.object({ affected: z.number().int() }) },
  'queue.resume': { input: sendScopeSchema, output: z.object({ affected: z.number().int() }) },
  /** Cancels every queued send in the scope; sent, in-flight and unknown sends are left as they are. */
  'queue.cancel': { input: sendScopeSchema, output: z.object({ affected: z.number().int() }) },
  /** A failed send goes back to the queue (a new attempt, the same client reference). */
  'sends.retry': { input: z.object({ id: sendIdSchema }).strict(), output: sendSchema },
  /** The operator decides an `unknown` send: it did go out, or send it again. */
  'sends.resolve': { input: z.object({ id: sendIdSchema, as: z.enum(['sent', 'resend']) }).strict(), output: sendSchema },
  /**
   * An export account's queued sends, handed to the operator as CSV or plain text (for the
   * clipboard); they wait in `sending` until confirmed. Counts as sent only on `sends.confirm`.
   */
  'sends.export': {
    input: z.object({ accountId: accountIdSchema, format: z.enum(EXPORT_FORMATS), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    output: z.object({ content: z.string(), ids: z.array(sendIdSchema) }),
  },
  'sends.confirm': {
    input: z.object({ ids: z.array(sendIdSchema).min(1).max(1000), sent: z.boolean() }).strict(),
    output: z.object({ affected: z.number().int() }),
  },
  /** Sandbox profile only: the OnlyFans sandbox answers the account's next sends with a fault (null clears). */
  'sandbox.sendFault': {
    input: z.object({ accountId: accountIdSchema, fault: z.enum(SANDBOX_SEND_FAULTS).nullable(), standing: z.boolean().default(false) }).strict(),
    output: z.object({ ok: z.literal(true) }),
  },
  /** Sandbox profile only: what the OnlyFans sandbox received and the pace violations it saw. */
  'sandbox.sendReport': {
    input: noInput,
    output: z.object({ received: z.number().int(), violations: z.number().int(), url: z.string().nullable() }),
  },
  /** Every account's lane paused (or resumed) as `queue.pause` does one's: persisted, in-flight sends finish. `affected`: queued sends held or freed. */
  'queue.pauseAll': { input: noInput, output: z.object({ affected: z.number().int(), accounts: z.number().int() }) },
  'queue.resumeAll': { input: noInput, output: z.object({ affected: z.number().int(), accounts: z.number().int() }) },
} as const satisfies MethodTable;

export const sendingEvents = {
  /** Sends moved (queued, sending, sent, failed, unknown, cancelled), batched. */
  'sends.progress': z.object({ sends: z.array(sendProgressSchema) }),
  /** Pause or offline state of an account or job changed; stats are stale. */
  'queue.changed': z.object({ accountId: accountIdSchema.nullable(), jobId: jobIdSchema.nullable() }),
} as const satisfies EventTable;
