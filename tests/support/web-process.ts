import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const WEB_ENTRY = join(ROOT, 'out', 'web', 'index.js');

export interface HostProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** The core process's pid, from the host's `core ready` log line (stderr may trail stdout). */
  corePid(): Promise<number>;
  /** Resolves with the host's exit code once it and its core have gone. */
  ended: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the built browser host the way an operator does, and waits for the line with its URL. */
export async function startHostProcess(dataDir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<HostProcess> {
  const child = spawn(process.execPath, [WEB_ENTRY, ...args], {
    env: { ...process.env, ...env, HUNTAZE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  // `close`, not `exit`: the core process shares the host's stdout and stderr, so the pipes close
  // only once it has gone too. A stop that resolves leaves no process behind.
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)\n/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(([code]) => reject(new Error(`host exited with ${code} before printing its URL: ${err}`)));
  });
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    corePid() {
      const found = () => /"corePid":(\d+)/.exec(err)?.[1];
      return new Promise<number>((resolve, reject) => {
        const check = () => {
          const pid = found();
          if (pid) {
            child.stderr!.off('data', check);
            resolve(Number(pid));
          }
        };
        child.stderr!.on('data', check);
        check();
        void exited.then(() => (found() ? check() : reject(new Error(`the host never logged its core's pid: ${err}`))));
      });
    },
    ended: exited.then(([code]) => code),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
}

/** Runs the host expecting it to refuse to start; resolves with its exit code and output. */
export async function runHostExpectingExit(dataDir: string, args: string[] = []) {
  const child = spawn(process.execPath, [WEB_ENTRY, ...args], {
    env: { ...process.env, HUNTAZE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout: out, stderr: err };
}
