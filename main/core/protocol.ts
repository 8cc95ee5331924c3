/**
 * The one protocol between a host (the Electron shell, the browser host) and the core process,
 * whatever carries it (a MessagePort in Electron, the IPC channel of a forked child under Node).
 * Both directions are a process boundary, so every message is parsed here before it is used.
 */
import { z } from 'zod';
import { ALERT_LEVELS } from '../../shared/alerts';
import { isEventName } from '../../shared/contract';
import { NOTICE_PATH } from '../../shared/notices';
import { errorDataSchema } from '../../shared/result';
import { LOOPBACK_FEED } from '../update/loopback';

const id = z.number().int().nonnegative();

/**
 * What only the host can do, asked by the core: decrypt what Electron's safeStorage once sealed
 * (once, at open), show a folder in the file manager, show an OS notification. A host names the
 * ports it serves at start.
 */
export const HOST_PORTS = ['safeStorage.decrypt', 'shell.openPath', 'notify'] as const;
export type HostPort = (typeof HOST_PORTS)[number];

/** Each port's question and answer, checked on the side that receives them. */
export const hostPortSchemas = {
  'safeStorage.decrypt': {
    input: z.array(z.object({ name: z.string().max(100), ciphertext: z.string().max(64 * 1024) }).strict()).max(1000),
    output: z.array(z.object({ name: z.string(), value: z.string().nullable() }).strict()),
  },
  'shell.openPath': { input: z.string().min(1).max(4096), output: z.boolean() },
  // Answers whether the notification was shown; a click opens `path` (an alert or a campaign) in the window.
  notify: {
    input: z
      .object({
        id: z.string().max(120),
        level: z.enum(ALERT_LEVELS),
        title: z.string().max(300),
        body: z.string().max(500),
        path: z.string().regex(NOTICE_PATH),
      })
      .strict(),
    output: z.boolean(),
  },
} as const satisfies Record<HostPort, { input: z.ZodType; output: z.ZodType }>;
export type HostPortInput<P extends HostPort> = z.infer<(typeof hostPortSchemas)[P]['input']>;
export type HostPortOutput<P extends HostPort> = z.infer<(typeof hostPortSchemas)[P]['output']>;
export type HostPorts = { [P in HostPort]?: (input: HostPortInput<P>) => Promise<HostPortOutput<P>> };

/** What the host tells the core when it starts it: the core reads no argv, env or Electron API of its own. */
export const startOptionsSchema = z
  .object({
    dataDir: z.string().min(1),
    host: z.enum(['electron', 'web']),
    /** better-sqlite3 built for Electron's ABI; the Node build in node_modules when absent. */
    nativeBinding: z.string().min(1).optional(),
    /** Copy each log line to stderr: the browser host's terminal shows what the core logs. */
    echoLogs: z.boolean(),
    /** The host ports this host answers; the core falls back to its own where it can. */
    hostPorts: z.array(z.enum(HOST_PORTS)).max(HOST_PORTS.length).default([]),
    /** Test hosts only: a loopback server may stand in for Slack's webhook host. */
    testLoopbackWebhooks: z.boolean().optional(),
    /** Test hosts only: the core follows this loopback update feed as a packaged app would (main/update/node-engine.ts). */
    testUpdateFeed: z.string().regex(LOOPBACK_FEED).optional(),
  })
  .strict();
export type StartOptions = z.output<typeof startOptionsSchema>;
/** What a host writes: without `hostPorts`, which the client fills from the ports it is given. */
export type StartRequest = Omit<z.input<typeof startOptionsSchema>, 'hostPorts'>;

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), options: startOptionsSchema }),
  // The method stays unknown: the core's registry answers a bad one with `unknown_method`, as in-process.
  z.object({ type: z.literal('call'), id, method: z.unknown(), input: z.unknown() }),
  z.object({ type: z.literal('close') }),
  // Benchmarks ask the core how its own event loop fared; nothing in the app needs it.
  z.object({ type: z.literal('lag'), id, action: z.enum(['start', 'stop']) }),
  // The host's answer to the core's `ask`; `ok: false` when the host could not do it.
  z.object({ type: z.literal('answer'), id, ok: z.boolean(), value: z.unknown() }),
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
  z.object({ type: z.literal('ask'), id, port: z.enum(HOST_PORTS), input: z.unknown() }),
]);
export type CoreMessage = z.infer<typeof coreMessageSchema>;

/** The request id of a message that failed to parse, so its caller can still be answered. */
export function idOf(raw: unknown): number | undefined {
  const candidate = (raw as { id?: unknown } | null)?.id;
  return typeof candidate === 'number' && Number.isInteger(candidate) && candidate >= 0 ? candidate : undefined;
}
