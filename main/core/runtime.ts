/** Opens the core inside its process: its own log, then the services with what the host offers. */
import { createFileLogger } from '../log';
import { join } from 'node:path';
import pkg from '../../package.json';
import { systemClock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Notifier } from '../ports/notifier';
import type { Updater } from '../ports/updater';
import type { Shell } from '../ports/shell';
import type { LegacySafeStorageDecryptor } from '../secrets';
import { createServices } from '../services';
import type { StartOptions } from './protocol';
import type { AskHost, CoreRuntime } from './server';

/** The shell's safeStorage, reached over the protocol: ciphertexts travel as base64 and come back as plaintexts once. */
const askSafeStorage =
  (ask: AskHost): LegacySafeStorageDecryptor =>
  (rows) =>
    ask(
      'safeStorage.decrypt',
      rows.map((r) => ({ name: r.name, ciphertext: Buffer.from(r.ciphertext).toString('base64') })),
    );

const askShell = (ask: AskHost): Shell => ({ openPath: (path) => ask('shell.openPath', path).catch(() => false) });

/** The shell's OS notifications; a host that could not show one answers false, and the outbox retries. */
const askNotifier = (ask: AskHost): Notifier => ({ notify: (notice) => ask('notify', notice).catch(() => false) });

/** The desktop updater over a loopback feed, for end-to-end tests of Settings → About; loaded only then. */
async function testUpdater(dataDir: string, feedUrl: string, logger: Logger): Promise<Updater> {
  const [{ nodeAppAdapter, RecordingDebUpdater }, { createUpdater }] = await Promise.all([import('../update/node-engine'), import('../update/updater')]);
  const dir = join(dataDir, 'test-updater');
  const engine = new RecordingDebUpdater(nodeAppAdapter(dir, APP_VERSION, feedUrl));
  return createUpdater({ engine, dataDir: join(dir, 'userData'), clock: systemClock, logger });
}

const APP_VERSION = pkg.version;

export async function openCore(options: StartOptions, ask: AskHost): Promise<CoreRuntime> {
  const { dataDir, host, nativeBinding, echoLogs, hostPorts, testLoopbackWebhooks, testUpdateFeed } = options;
  // The core owns huntaze.log; the host writes its own file beside it.
  const logger = createFileLogger({ dataDir, echo: echoLogs });
  try {
    const services = await createServices({
      dataDir,
      host,
      logger,
      nativeBinding,
      secrets: hostPorts.includes('safeStorage.decrypt') ? { legacy: { safeStorage: askSafeStorage(ask) } } : undefined,
      shell: hostPorts.includes('shell.openPath') ? askShell(ask) : undefined,
      notifier: hostPorts.includes('notify') ? askNotifier(ask) : undefined,
      alerts: { allowLoopbackWebhook: testLoopbackWebhooks ?? false },
      updater: testUpdateFeed ? await testUpdater(dataDir, testUpdateFeed, logger) : undefined,
    });
    return { api: services, logger, close: () => services.close(), closeLog: () => logger.close() };
  } catch (err) {
    await logger.close();
    throw err;
  }
}
