/** `npm run start:web`: the core under plain Node, the renderer in any browser on this machine. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DbOpenError } from '../db/open';
import { createFileLogger } from '../log';
import { defaultDataDir, resolveDataDir } from '../paths';
import { createServices } from '../services';
import { startWebHost } from './server';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    process.stderr.write(`huntaze: --port must be a whole number from 0 to 65535 (got ${JSON.stringify(value)})\n`);
    process.exit(2);
  }
  return port;
}

async function main() {
  const { values } = parseArgs({ options: { port: { type: 'string' } }, strict: true });
  const port = parsePort(values.port);
  const dataDir = resolveDataDir(defaultDataDir());
  // The log file in the data folder, echoed to this terminal.
  const logger = createFileLogger({ dataDir, echo: true });
  const rendererDir = resolve(dirname(fileURLToPath(import.meta.url)), '../renderer');

  let services;
  try {
    services = await createServices({ dataDir, host: 'web', logger });
  } catch (err) {
    if (err instanceof DbOpenError) {
      process.stderr.write(`huntaze: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const host = await startWebHost({ services, rendererDir, port, logger });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('web host: stopping', { signal });
    await host.close();
    await services.close();
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
