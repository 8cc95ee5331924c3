/**
 * What carries the protocol under plain Node: a forked child's IPC channel, seen from either end,
 * and (for Electron's utility process) a MessagePort, typed by shape so this file stays electron-free.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { CoreLink } from './client';
import type { HostLink } from './server';

export interface ForkCoreOptions {
  /** The core entry: out/web/core.js when built, main/core/entry.ts under tsx. */
  entry: string;
  /** e.g. ['--import', 'tsx'] to run the TypeScript entry. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface ForkedCore extends CoreLink {
  readonly child: ChildProcess;
}

/** Starts the core as a child process of this host, its stdout and stderr on the host's own. */
export function forkCore({ entry, execArgv = [], env = process.env }: ForkCoreOptions): ForkedCore {
  const child = fork(entry, [], { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  let spawned = false;
  let ended = false;
  const exitListeners: ((exit: { code: number | null; signal: string | null }) => void)[] = [];
  const end = (code: number | null, signal: string | null) => {
    if (ended) return;
    ended = true;
    exitListeners.forEach((l) => l({ code, signal }));
  };
  child.once('spawn', () => (spawned = true));
  // The end counts once the IPC channel has delivered everything the core sent (a fatal, the
  // last replies), so an `exit` that overtakes them waits for the channel to drain.
  child.once('exit', (code, signal) => {
    if (child.connected) child.once('disconnect', () => end(code, signal));
    else end(code, signal);
  });
  // A child that never started has no `exit` to wait for; any later error (a send racing the
  // channel's end) is answered by `exit`, which settles every pending call.
  child.on('error', () => {
    if (!spawned) end(null, null);
  });
  return {
    child,
    send(message) {
      if (!child.connected) throw new Error('the core process is not connected');
      child.send(message);
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void exitListeners.push(listener),
    kill: () => void child.kill('SIGKILL'),
  };
}

/** The core's end when it was forked by a Node host. */
export function parentProcessLink(proc: NodeJS.Process = process): HostLink {
  if (!proc.send) throw new Error('the core must be started by a host (no IPC channel)');
  let unsent = 0;
  let drained: (() => void)[] = [];
  const settle = () => {
    if (--unsent > 0) return;
    const waiting = drained;
    drained = [];
    waiting.forEach((resolve) => resolve());
  };
  return {
    send(message) {
      if (!proc.connected) throw new Error('the host is not connected');
      unsent++;
      // The callback also takes a send that failed because the host went away: `disconnect` handles that.
      proc.send!(message, undefined, undefined, settle);
    },
    onMessage: (listener) => void proc.on('message', listener),
    onDisconnect: (listener) => void proc.once('disconnect', listener),
    drain: () => (unsent === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve))),
  };
}

/** The shape of Electron's MessagePortMain that the core uses. */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
}

/** The core's end inside Electron's utility process: the MessagePort the shell handed it. */
export function messagePortLink(port: PortLike): HostLink {
  return {
    send: (message) => port.postMessage(message),
    onMessage(listener) {
      port.on('message', (event) => listener(event.data));
      // A MessagePortMain queues everything until started: start once someone listens.
      port.start();
    },
    onDisconnect: (listener) => void port.on('close', listener),
    // postMessage hands the message to the channel at once; one turn lets it leave.
    drain: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };
}
