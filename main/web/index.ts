/**
 * `npm run start:web`: the renderer in any browser on this machine. This process only serves
 * files and the WebSocket; the core (database, secrets, AI) runs in a child process of its own.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectCore, CoreStartError, describeExit } from '../core/client';
import { forkCore } from '../core/links';
import { createFileLogger, HOST_LOG_FILE } from '../log';
import { defaultDataDir, resolveDataDir } from '../paths';
import type { Notice } from '../ports/notifier';
import { startWebHost, type WebHostOptions } from './server';
import { readOrCreateSessionKey, readRememberedPort, rememberPort } from './session';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    process.stderr.write(`huntaze: --port must be a whole number from 0 to 65535 (got ${JSON.stringify(value)})\n`);
    process.exit(2);
  }
  return port;
}

/** The built core sits beside this bundle; run from source (tsx), the TypeScript entry is used. */
function coreEntry(here: string) {
  if (here.endsWith('.ts')) return { entry: join(dirname(here), '../core/entry.ts'), execArgv: ['--import', 'tsx'] };
  return { entry: join(dirname(here), 'core.js') };
}

async function main() {
  const { values } = parseArgs({ options: { port: { type: 'string' } }, strict: true });
  const chosenPort = values.port === undefined ? undefined : parsePort(values.port);
  const dataDir = resolveDataDir(defaultDataDir());
  // This process's own lines, echoed to this terminal; the core writes (and echoes) its own file.
  const logger = createFileLogger({ dataDir, file: HOST_LOG_FILE, echo: true });
  const here = fileURLToPath(import.meta.url);
  const rendererDir = resolve(dirname(here), '../renderer');

  // End-to-end tests point the Slack channel at a loopback server; an operator's start never sets this.
  const testLoopbackWebhooks = process.env.HUNTAZE_TEST_LOOPBACK_WEBHOOKS === '1';
  // End-to-end tests show the desktop updater against a loopback feed; an operator's start never sets this.
  const testUpdateFeed = process.env.HUNTAZE_TEST_UPDATE_FEED || undefined;
  // Only this process knows whether a page is open to show an alert; until the socket server
  // listens none is, and a false answer leaves the delivery to the outbox's retry.
  let showOnPages: (notice: Notice) => boolean = () => false;
  const core = connectCore(
    forkCore(coreEntry(here)),
    { dataDir, host: 'web', echoLogs: true, testLoopbackWebhooks, testUpdateFeed },
    { logger, ports: { notify: async (notice) => showOnPages(notice) } },
  );
  const fail = async (message: string) => {
    process.stderr.write(`huntaze: ${message}\n`);
    await logger.close();
    process.exit(1);
  };
  try {
    const { pid } = await core.ready;
    logger.info('web host: core ready', { corePid: pid });
  } catch (err) {
    // A refused database is already worded for the operator; the file is left as it was found.
    const message = err instanceof CoreStartError ? err.message : `Huntaze could not start: ${(err as Error).message}`;
    logger.error('web host: the core did not start', { code: err instanceof CoreStartError ? err.code : null });
    await core.close();
    return fail(message);
  }

  const sessionKey = await readOrCreateSessionKey(dataDir);
  const options: WebHostOptions = { services: core, rendererDir, port: chosenPort ?? 0, logger, sessionKey };
  // Open tabs look for the host where it was: without --port, the last port is tried first.
  const remembered = chosenPort === undefined ? await readRememberedPort(dataDir) : undefined;
  const host = await startWebHost({ ...options, port: remembered ?? options.port }).catch((err: NodeJS.ErrnoException) => {
    if (remembered === undefined || err.code !== 'EADDRINUSE') throw err;
    logger.info('web host: the last port is taken; open tabs will need the new link', { port: remembered });
    return startWebHost(options);
  });
  await rememberPort(dataDir, host.port).catch((err: Error) => logger.warn('web host: could not note the port', { error: err.message }));
  showOnPages = host.notify;

  let stopping = false;
  void core.exited.then(async (end) => {
    if (end.requested) return;
    // Pending calls have been answered `unavailable` by now; the windows see the host go too.
    logger.error('web host: the core process stopped unexpectedly', { exit: describeExit(end) });
    stopping = true;
    await host.close();
    await fail(`the core process stopped unexpectedly (${describeExit(end)}); the log is in ${logger.dir}`);
  });

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('web host: stopping', { signal });
    await host.close();
    const end = await core.close();
    if (end.code !== 0) logger.warn('web host: the core did not close cleanly', { exit: describeExit(end) });
    await logger.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Printed only once the signal handlers are in place: whoever reads the URL may stop us at once.
  process.stdout.write(`Huntaze data: ${dataDir}\nHuntaze is running at ${host.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`huntaze: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
