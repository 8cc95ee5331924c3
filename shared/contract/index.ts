/**
 * The one contract between renderer and main, merged from one fragment per capability. Every
 * transport (Electron IPC, the browser host's WebSocket, the core's MessagePort), the preload
 * client, the renderer hooks and the main-side handler registry are derived from these two
 * tables; no method, event or channel name is written anywhere else.
 */
import { z } from 'zod';
import type { Transport } from '../channels';
import { type AppErrorData, errorDataSchema, type Result } from '../result';
import { accountsEvents, accountsMethods } from './accounts';
import { aiEvents, aiMethods } from './ai';
import { alertsEvents, alertsMethods } from './alerts';
import { audiencesEvents, audiencesMethods } from './audiences';
import { budgetsEvents, budgetsMethods } from './budgets';
import { campaignsEvents, campaignsMethods } from './campaigns';
import { circuitsEvents, circuitsMethods } from './circuits';
import { costsEvents, costsMethods } from './costs';
import { demoEvents, demoMethods } from './demo';
import { healthMethods } from './health';
import { requestsEvents, requestsMethods } from './requests';
import { sandboxEvents, sandboxMethods } from './sandbox';
import { sendingEvents, sendingMethods } from './sending';
import { settingsEvents, settingsMethods } from './settings';
import { updatesEvents, updatesMethods } from './updates';
import { keychainEvents, keychainMethods } from './keychain';
import { teamMethods } from './team';
import { teamBudgetsEvents, teamBudgetsMethods } from './team-budgets';
import { awsEvents, awsMethods } from './aws';
import { syncEvents, syncMethods } from './sync';
import { teamSpendEvents, teamSpendMethods } from './team-spend';
import { teamAlertsMethods } from './team-alerts';

export const methods = {
  ...healthMethods,
  ...settingsMethods,
  ...aiMethods,
  ...sandboxMethods,
  ...alertsMethods,
  ...costsMethods,
  ...campaignsMethods,
  ...budgetsMethods,
  ...circuitsMethods,
  ...demoMethods,
  ...requestsMethods,
  ...accountsMethods,
  ...sendingMethods,
  ...audiencesMethods,
  ...updatesMethods,
  ...keychainMethods,
  ...teamMethods,
  ...teamBudgetsMethods,
  ...awsMethods,
  ...syncMethods,
  ...teamSpendMethods,
  ...teamAlertsMethods,
} as const;

export const events = {
  ...settingsEvents,
  ...aiEvents,
  ...sandboxEvents,
  ...alertsEvents,
  ...costsEvents,
  ...budgetsEvents,
  ...circuitsEvents,
  ...demoEvents,
  ...requestsEvents,
  ...accountsEvents,
  ...sendingEvents,
  ...campaignsEvents,
  ...audiencesEvents,
  ...updatesEvents,
  ...keychainEvents,
  ...teamBudgetsEvents,
  ...awsEvents,
  ...syncEvents,
  ...teamSpendEvents,
} as const;

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

export { CHANNELS, type Transport, WEB } from '../channels';
export type { MethodTable } from './define';
export * from './wire';

const resultSchemaFor = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: errorDataSchema }),
  ]);

/** Replies from the other side are a boundary too: they are parsed, never trusted. */
export function parseReply<M extends MethodName>(method: M, raw: unknown): Result<Output<M>> {
  const parsed = resultSchemaFor(methods[method].output).safeParse(raw);
  if (parsed.success) return parsed.data as Result<Output<M>>;
  const error: AppErrorData = { kind: 'internal', code: 'malformed_reply', params: { method } };
  return { ok: false, error };
}

export interface Client {
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Result<Output<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** A transport that rejects says why in a code the renderer can word: lost mid-call or never reached. */
export class TransportError extends Error {
  constructor(readonly code: 'host_unreachable' | 'connection_lost') {
    super(code);
    this.name = 'TransportError';
  }
}

export function createClient(transport: Transport): Client {
  return {
    async call(method, input) {
      try {
        return parseReply(method, await transport.invoke(method, input));
      } catch (err) {
        const code = err instanceof TransportError ? err.code : 'host_unreachable';
        return { ok: false, error: { kind: 'unavailable', code, params: { method } } };
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
