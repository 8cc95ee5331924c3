/**
 * The one protocol between a host (the Electron shell, the browser host) and the core process,
 * whatever carries it (a MessagePort in Electron, the IPC channel of a forked child under Node).
 * Both directions are a process boundary, so every message is parsed here before it is used.
 */
import { z } from 'zod';
import { isEventName } from '../../shared/contract';
import { errorDataSchema } from '../../shared/result';

const id = z.number().int().nonnegative();

/** What the host tells the core when it starts it: the core reads no argv, env or Electron API of its own. */
export const startOptionsSchema = z
  .object({
    dataDir: z.string().min(1),
    host: z.enum(['electron', 'web']),
    /** better-sqlite3 built for Electron's ABI; the Node build in node_modules when absent. */
    nativeBinding: z.string().min(1).optional(),
    /** Copy each log line to stderr: the browser host's terminal shows what the core logs. */
    echoLogs: z.boolean(),
  })
  .strict();
export type StartOptions = z.infer<typeof startOptionsSchema>;

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), options: startOptionsSchema }),
  // The method stays unknown: the core's registry answers a bad one with `unknown_method`, as in-process.
  z.object({ type: z.literal('call'), id, method: z.unknown(), input: z.unknown() }),
  z.object({ type: z.literal('close') }),
  // Benchmarks ask the core how its own event loop fared; nothing in the app needs it.
  z.object({ type: z.literal('lag'), id, action: z.enum(['start', 'stop']) }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

/** Why a core could not start: `db_open` is a database refused as corrupt or newer, worded for the operator. */
export const FATAL_CODES = ['db_open', 'startup'] as const;
export type FatalCode = (typeof FATAL_CODES)[number];

const resultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorDataSchema }),
]);

export const loopLagSchema = z.object({
  p50Ms: z.number().nonnegative(),
  p99Ms: z.number().nonnegative(),
  maxMs: z.number().nonnegative(),
});
export type LoopLag = z.infer<typeof loopLagSchema>;

export const coreMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int().positive() }),
  z.object({ type: z.literal('fatal'), code: z.enum(FATAL_CODES), message: z.string().max(4000) }),
  z.object({ type: z.literal('reply'), id, result: resultSchema }),
  z.object({ type: z.literal('event'), event: z.string().refine(isEventName), payload: z.unknown() }),
  z.object({ type: z.literal('lag'), id, lag: loopLagSchema.nullable() }),
  z.object({ type: z.literal('closed') }),
]);
export type CoreMessage = z.infer<typeof coreMessageSchema>;

/** The request id of a message that failed to parse, so its caller can still be answered. */
export function idOf(raw: unknown): number | undefined {
  const candidate = (raw as { id?: unknown } | null)?.id;
  return typeof candidate === 'number' && Number.isInteger(candidate) && candidate >= 0 ? candidate : undefined;
}
