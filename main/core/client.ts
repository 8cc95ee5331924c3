/**
 * The host's end of the protocol: the core process seen as the contract's `Transport`, and as the
 * `registry` / `events` pair the browser host and the Electron bridge serve windows from.
 */
import { type EventName, events as eventSchemas, type Transport } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';
import type { Logger } from '../ports/logger';
import type { CoreApi } from './api';
import {
  coreMessageSchema,
  type FatalCode,
  type HostMessage,
  type HostPort,
  type HostPorts,
  hostPortSchemas,
  idOf,
  type LoopLag,
  type StartRequest,
} from './protocol';

export interface CoreExit {
  code: number | null;
  signal: string | null;
}

/** How the core ended, and whether this host had asked it to. */
export interface CoreEnd extends CoreExit {
  requested: boolean;
}

/** The host's end of whatever carries the protocol (a MessagePort, a child's IPC channel). */
export interface CoreLink {
  /** Throws when the message cannot be carried (not serializable, or the channel is gone). */
  send(message: HostMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the core process has ended. */
  onExit(listener: (exit: CoreExit) => void): void;
  /** Ends the core process at once. */
  kill(): void;
}

export class CoreStartError extends Error {
  constructor(
    readonly code: FatalCode | 'exited',
    message: string,
  ) {
    super(message);
    this.name = 'CoreStartError';
  }
}

export interface CoreClient extends Transport, CoreApi {
  /** Resolves once the core has opened its data; rejects with a CoreStartError it can word. */
  readonly ready: Promise<{ pid: number }>;
  /** Resolves when the core process has ended, whatever the reason. */
  readonly exited: Promise<CoreEnd>;
  /** Benchmarks: starts, then stops and reads, the core's own event-loop lag. */
  loopLag(action: 'start' | 'stop'): Promise<LoopLag | null>;
  /** Asks the core to close and waits for its process to end; kills it after `closeGraceMs`. */
  close(): Promise<CoreEnd>;
}

export interface ConnectOptions {
  logger: Logger;
  /** How long a closing core may take before it is killed. */
  closeGraceMs?: number;
  /** What this host can do for the core (only the shell can reach safeStorage or the file manager). */
  ports?: HostPorts;
}

export const describeExit = (exit: CoreExit) => (exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`);

// What every call still waiting gets when the core is gone: the renderer words it, nothing hangs.
const unreachable = (): Result<never> => fail('unavailable', 'host_unreachable');

type Listener = (event: EventName, payload: unknown) => void;

export function connectCore(link: CoreLink, start: StartRequest, { logger, closeGraceMs = 10_000, ports = {} }: ConnectOptions): CoreClient {
  let state: 'starting' | 'ready' | 'closing' | 'gone' = 'starting';
  let nextId = 0;
  const calls = new Map<number, { method: string; resolve: (result: Result<unknown>) => void }>();
  const lags = new Map<number, (lag: LoopLag | null) => void>();
  const listeners = new Set<Listener>();

  let settleReady!: { resolve: (v: { pid: number }) => void; reject: (e: CoreStartError) => void };
  const ready = new Promise<{ pid: number }>((resolve, reject) => (settleReady = { resolve, reject }));
  // Hosts await it; a host that never does must not crash on an unhandled rejection.
  ready.catch(() => undefined);
  let readySettled = false;
  let closeRequested = false;
  let ended: (end: CoreEnd) => void;
  const exited = new Promise<CoreEnd>((resolve) => (ended = resolve));

  const trySend = (message: HostMessage): boolean => {
    try {
      link.send(message);
      return true;
    } catch (err) {
      logger.warn('core link: a message could not be sent', { type: message.type, error: (err as Error).message });
      return false;
    }
  };

  link.onMessage((raw) => {
    const parsed = coreMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = idOf(raw);
      const pending = id === undefined ? undefined : calls.get(id);
      logger.error('core link: refused a malformed message from the core', { id: id ?? null });
      if (pending && id !== undefined) {
        calls.delete(id);
        pending.resolve(fail('internal', 'malformed_reply', { method: pending.method }));
      }
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        if (state === 'starting') state = 'ready';
        readySettled = true;
        settleReady.resolve({ pid: message.pid });
        return;
      case 'fatal':
        readySettled = true;
        settleReady.reject(new CoreStartError(message.code, message.message));
        return;
      case 'reply': {
        const pending = calls.get(message.id);
        if (!pending) return logger.warn('core link: a reply for no pending call', { id: message.id });
        calls.delete(message.id);
        pending.resolve(message.result);
        return;
      }
      case 'event': {
        const event = message.event as EventName;
        const payload = eventSchemas[event].safeParse(message.payload);
        if (!payload.success) return logger.error('core link: refused an event that breaks its schema', { event });
        for (const listener of listeners) {
          try {
            listener(event, payload.data);
          } catch (err) {
            logger.error('core link: an event listener failed', { event, error: (err as Error).message });
          }
        }
        return;
      }
      case 'lag':
        lags.get(message.id)?.(message.lag);
        lags.delete(message.id);
        return;
      case 'closed':
        return;
      case 'ask':
        void answerAsk(message.id, message.port, message.input);
        return;
    }
  });

  async function answerAsk(id: number, port: HostPort, input: unknown) {
    const handler = ports[port] as ((input: unknown) => Promise<unknown>) | undefined;
    const parsed = hostPortSchemas[port].input.safeParse(input);
    let reply: HostMessage = { type: 'answer', id, ok: false, value: null };
    if (handler && parsed.success) {
      try {
        reply = { type: 'answer', id, ok: true, value: await handler(parsed.data) };
      } catch (err) {
        logger.warn('core link: a host port failed', { port, error: (err as Error).message });
      }
    } else logger.warn('core link: refused a question from the core', { port, served: Boolean(handler) });
    trySend(reply);
  }

  link.onExit((exit) => {
    state = 'gone';
    for (const pending of calls.values()) pending.resolve(unreachable());
    calls.clear();
    for (const resolve of lags.values()) resolve(null);
    lags.clear();
    if (!readySettled) {
      readySettled = true;
      settleReady.reject(new CoreStartError('exited', `the core process ended before it was ready (${describeExit(exit)})`));
    }
    // One turn later: whatever the answers above set off (a reply on a socket) goes out before
    // anyone reacting to the end starts closing windows or sockets.
    setImmediate(() => ended({ ...exit, requested: closeRequested }));
  });

  trySend({ type: 'start', options: { ...start, hostPorts: Object.keys(ports) as HostPort[] } });

  async function dispatch(method: unknown, input: unknown): Promise<Result<unknown>> {
    if (state === 'starting') await ready.catch(() => undefined);
    if (state !== 'ready') return unreachable();
    const id = nextId++;
    const name = typeof method === 'string' ? method.slice(0, 80) : String(typeof method);
    return new Promise<Result<unknown>>((resolve) => {
      calls.set(id, { method: name, resolve });
      try {
        link.send({ type: 'call', id, method, input });
      } catch (err) {
        // Only input the channel cannot encode gets here (a live core reads every JSON value).
        calls.delete(id);
        logger.warn('core link: a call could not be sent', { method: name, error: (err as Error).message });
        resolve(state === 'gone' ? unreachable() : fail('invalid_input', 'malformed_frame', { method: name }));
      }
    });
  }

  return {
    ready,
    exited,
    registry: { dispatch },
    events: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    invoke: (method, input) => dispatch(method, input),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    loopLag(action) {
      if (state !== 'ready') return Promise.resolve(null);
      const id = nextId++;
      return new Promise((resolve) => {
        lags.set(id, resolve);
        if (!trySend({ type: 'lag', id, action })) {
          lags.delete(id);
          resolve(null);
        }
      });
    },
    async close() {
      if (state === 'gone') return exited;
      closeRequested = true;
      state = 'closing';
      if (!trySend({ type: 'close' })) link.kill();
      const timer = setTimeout(() => {
        logger.warn('core link: the core did not close in time; ending it', { graceMs: closeGraceMs });
        link.kill();
      }, closeGraceMs);
      const end = await exited;
      clearTimeout(timer);
      return end;
    },
  };
}
