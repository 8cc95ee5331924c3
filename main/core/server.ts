/** The core's end of the protocol: starts the services when asked, answers calls, pushes events, closes. */
import { fail, type Result } from '../../shared/result';
import { DbOpenError } from '../db/open';
import { consoleLogger, type Logger } from '../ports/logger';
import type { CoreApi } from './api';
import { loopLagMonitor } from './lag';
import { type CoreMessage, type FatalCode, type HostPort, type HostPortInput, type HostPortOutput, hostMessageSchema, hostPortSchemas, idOf, type StartOptions } from './protocol';

/** The core's end of whatever carries the protocol. */
export interface HostLink {
  /** Throws when the message cannot be carried. */
  send(message: CoreMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the host has gone (its process died or it closed the channel). */
  onDisconnect(listener: () => void): void;
  /** Resolves once what was sent has left this process. */
  drain(): Promise<void>;
}

/** The started core as the protocol needs it. */
export interface CoreRuntime {
  api: CoreApi;
  logger: Logger;
  /** Cancels work in flight (it still answers), closes the databases. */
  close(): Promise<void>;
  /** Last of all: writes what the log buffered. */
  closeLog(): Promise<void>;
}

/** Asks the host for what only it can do; rejects when the host cannot, or is gone. */
export type AskHost = <P extends HostPort>(port: P, input: HostPortInput<P>) => Promise<HostPortOutput<P>>;

export type OpenCore = (options: StartOptions, ask: AskHost) => Promise<CoreRuntime>;

export function fatalOf(err: unknown): { code: FatalCode; message: string } {
  if (err instanceof DbOpenError) return { code: 'db_open', message: err.message };
  return { code: 'startup', message: `Huntaze could not start: ${err instanceof Error ? err.message : String(err)}` };
}

type Phase = 'waiting' | 'starting' | 'serving' | 'closing';

const unavailable = (): Result<never> => fail('unavailable', 'host_unreachable');

/**
 * Serves one host until it asks the core to close or goes away. Resolves with the exit code the
 * process should end with: 0 after a clean close, 1 when the core could not start (it still
 * waits for the host's word: a core that could not start has told the host why, and leaves when asked).
 */
export function serveCore(link: HostLink, open: OpenCore, bootLogger: Logger = consoleLogger()): Promise<number> {
  return new Promise<number>((finish) => {
    let phase = 'waiting' as Phase;
    let runtime: CoreRuntime | undefined;
    let failed = false;
    let starting: Promise<void> | undefined;
    let unsubscribe: (() => void) | undefined;
    const inFlight = new Set<Promise<void>>();
    const lag = loopLagMonitor();
    let nextAsk = 0;
    const asks = new Map<number, { port: HostPort; resolve: (value: unknown) => void; reject: (err: Error) => void }>();
    const ask: AskHost = (port, input) =>
      new Promise((resolve, reject) => {
        const id = nextAsk++;
        asks.set(id, { port, resolve: resolve as (value: unknown) => void, reject });
        try {
          link.send({ type: 'ask', id, port, input });
        } catch (err) {
          asks.delete(id);
          reject(err as Error);
        }
      });
    const answer = (id: number, ok: boolean, value: unknown) => {
      const pending = asks.get(id);
      if (!pending) return log().warn('core: an answer for no question', { id });
      asks.delete(id);
      // The host's answer is a boundary too: parsed against the port's own schema.
      const parsed = hostPortSchemas[pending.port].output.safeParse(value);
      if (ok && parsed.success) pending.resolve(parsed.data);
      else pending.reject(new Error(ok ? `the host's answer to ${pending.port} was malformed` : `the host could not do ${pending.port}`));
    };
    const log = () => runtime?.logger ?? bootLogger;

    const send = (message: CoreMessage) => {
      try {
        link.send(message);
      } catch (err) {
        // A reply that cannot be carried must not stay pending on the other side.
        log().error('core: a message could not be sent to the host', { type: message.type, error: (err as Error).message });
        if (message.type === 'reply') {
          try {
            link.send({ type: 'reply', id: message.id, result: fail('internal', 'internal') });
          } catch {
            // The link itself is gone; the host answers its pending calls when the process ends.
          }
        }
      }
    };

    const start = async (options: StartOptions) => {
      phase = 'starting';
      try {
        runtime = await open(options, ask);
      } catch (err) {
        const fatal = fatalOf(err);
        // A refused database is the operator's to read, from the host; anything else is a bug, with its stack.
        if (fatal.code !== 'db_open') bootLogger.error('core: could not start', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        send({ type: 'fatal', ...fatal });
        // It waits to be told to go (or for the host to vanish): leaving at once could let the
        // process's end overtake the message that says why.
        failed = true;
        return;
      }
      // A close that came while opening has waited for this; it closes what was just opened.
      if ((phase as Phase) === 'closing') return;
      phase = 'serving';
      unsubscribe = runtime.api.events.subscribe((event, payload) => send({ type: 'event', event, payload }));
      send({ type: 'ready', pid: process.pid });
    };

    const call = (id: number, method: unknown, input: unknown) => {
      if (phase !== 'serving' || !runtime) {
        send({ type: 'reply', id, result: unavailable() });
        return;
      }
      const work = runtime.api.registry.dispatch(method, input).then((result) => send({ type: 'reply', id, result }));
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    };

    const close = async () => {
      if (phase === 'closing') return;
      phase = 'closing';
      unsubscribe?.();
      await starting;
      if (runtime) {
        try {
          await runtime.close();
        } catch (err) {
          runtime.logger.error('core: closing failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        }
        // Calls cut short by the close still get their answer before the core says it is done.
        await Promise.allSettled([...inFlight]);
      }
      send({ type: 'closed' });
      await runtime?.closeLog();
      finish(failed ? 1 : 0);
    };

    link.onMessage((raw) => {
      const parsed = hostMessageSchema.safeParse(raw);
      if (!parsed.success) {
        const id = idOf(raw);
        log().warn('core: refused a malformed message from the host', { id: id ?? null });
        if (id !== undefined) send({ type: 'reply', id, result: fail('invalid_input', 'malformed_frame') });
        return;
      }
      const message = parsed.data;
      switch (message.type) {
        case 'start':
          if (phase === 'waiting') starting = start(message.options);
          else log().warn('core: ignored a second start');
          return;
        case 'call':
          return call(message.id, message.method, message.input);
        case 'close':
          void close();
          return;
        case 'answer':
          return answer(message.id, message.ok, message.value);
        case 'lag':
          if (message.action === 'start') {
            lag.start();
            send({ type: 'lag', id: message.id, lag: null });
          } else send({ type: 'lag', id: message.id, lag: lag.stop() });
          return;
      }
    });
    // A host that died cannot ask: the core closes by itself rather than outlive it holding the database.
    link.onDisconnect(() => {
      for (const pending of asks.values()) pending.reject(new Error('the host has gone'));
      asks.clear();
      void close();
    });
  });
}
