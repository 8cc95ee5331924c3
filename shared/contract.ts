/**
 * The one contract between renderer and main. Every transport (Electron IPC, the browser
 * host's WebSocket), the preload client, the renderer hooks and the main-side handler
 * registry are derived from these two tables; no method, event or channel name is written
 * anywhere else.
 */
import { z } from 'zod';
import type { Transport } from './channels';
import { type AppErrorData, ERROR_KINDS, type Result } from './result';
import {
  CIRCUIT_STATES,
  completionRequestSchema,
  completionResultSchema,
  providerConfigSchema,
  providerHealthSchema,
  providerIdSchema,
  providerMetricsSchema,
  routingPolicySchema,
} from './ai';
import { SECRET_STORE_KINDS } from './secrets';
import { settingsPatchSchema, settingsSchema } from './settings';

const noInput = z.object({}).strict();

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

const providerViewSchema = z.object({
  id: providerIdSchema,
  config: providerConfigSchema,
  /** Whether a key is stored: the key itself never crosses this boundary. */
  keySet: z.boolean(),
  configured: z.boolean(),
  circuit: z.enum(CIRCUIT_STATES),
});

const providersListSchema = z.object({
  providers: z.array(providerViewSchema),
  secretStore: z.object({ kind: z.enum(SECRET_STORE_KINDS), weaker: z.boolean() }),
  sandboxMode: z.boolean(),
});

export const SANDBOX_FAULTS = [
  'rate_limit',
  'quota',
  'server_error',
  'unavailable',
  'timeout',
  'reset',
  'unauthorized',
  'content_filter',
  'content_filter_finish',
  'stream_drop',
] as const;
export const sandboxTargetSchema = z.enum(['azure', 'openai', 'local']);

const sandboxStateSchema = z.object({
  enabled: z.boolean(),
  url: z.string().nullable(),
  faults: z.partialRecord(sandboxTargetSchema, z.enum(SANDBOX_FAULTS)),
});

export const methods = {
  'app.info': { input: noInput, output: appInfoSchema },
  'health.get': { input: noInput, output: healthSchema },
  'settings.get': { input: noInput, output: settingsSchema },
  'settings.update': { input: settingsPatchSchema, output: settingsSchema },
  'providers.list': { input: noInput, output: providersListSchema },
  'providers.update': {
    input: z.object({ provider: providerIdSchema, config: providerConfigSchema }).strict(),
    output: providerViewSchema,
  },
  'providers.setKey': {
    input: z.object({ provider: providerIdSchema, apiKey: z.string().trim().min(8).max(4096) }).strict(),
    output: z.object({ keySet: z.boolean() }),
  },
  'providers.clearKey': { input: z.object({ provider: providerIdSchema }).strict(), output: z.object({ keySet: z.boolean() }) },
  'providers.test': {
    input: z.object({ provider: providerIdSchema }).strict(),
    output: z.object({
      ok: z.boolean(),
      ms: z.number().int().nonnegative(),
      deployment: z.string().nullable(),
      baseModel: z.string().nullable(),
      message: z.string(),
      costMicros: z.number().int().nonnegative(),
    }),
  },
  'routing.get': { input: noInput, output: routingPolicySchema },
  'routing.set': { input: routingPolicySchema, output: routingPolicySchema },
  'ai.complete': { input: completionRequestSchema, output: completionResultSchema },
  'metrics.orchestrator': {
    input: noInput,
    output: z.object({ providers: z.array(providerMetricsSchema), costTodayMicros: z.number().int().nonnegative() }),
  },
  'sandbox.state': { input: noInput, output: sandboxStateSchema },
  'sandbox.setFault': {
    input: z.object({ target: sandboxTargetSchema, fault: z.enum(SANDBOX_FAULTS).nullable() }).strict(),
    output: sandboxStateSchema,
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const events = {
  'settings.changed': settingsSchema,
} as const satisfies Record<string, z.ZodType>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Input<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type Output<M extends MethodName> = z.output<Methods[M]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export type AppInfo = Output<'app.info'>;
export type Health = Output<'health.get'>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.hasOwn(methods, name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.hasOwn(events, name);

export { CHANNELS, type Transport, WEB } from './channels';

const errorDataSchema = z.object({
  kind: z.enum(ERROR_KINDS),
  message: z.string(),
  issues: z.array(z.string()).optional(),
});

const resultSchemaFor = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: errorDataSchema }),
  ]);

/** Replies from the other side are a boundary too: they are parsed, never trusted. */
export function parseReply<M extends MethodName>(method: M, raw: unknown): Result<Output<M>> {
  const parsed = resultSchemaFor(methods[method].output).safeParse(raw);
  if (parsed.success) return parsed.data as Result<Output<M>>;
  const error: AppErrorData = { kind: 'internal', message: `malformed reply to ${method}` };
  return { ok: false, error };
}

export interface Client {
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Result<Output<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(transport: Transport): Client {
  return {
    async call(method, input) {
      try {
        return parseReply(method, await transport.invoke(method, input));
      } catch (err) {
        return {
          ok: false,
          error: { kind: 'unavailable', message: err instanceof Error ? err.message : String(err) },
        };
      }
    },
    on(event, listener) {
      return transport.subscribe((name, payload) => {
        if (name !== event) return;
        const parsed = events[event].safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayload<typeof event>);
      });
    },
  };
}

/** Browser host wire frames, in both directions. */
export const wireRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string(),
  input: z.unknown(),
});
export const wireServerFrameSchema = z.union([
  z.object({ type: z.literal('reply'), id: z.number().int().nonnegative(), result: z.unknown() }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type WireRequest = z.infer<typeof wireRequestSchema>;
export type WireServerFrame = z.infer<typeof wireServerFrameSchema>;
