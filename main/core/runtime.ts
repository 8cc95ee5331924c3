/** Opens the core inside its process: its own log, the secret store, then the services. */
import { createFileLogger } from '../log';
import { keychainService } from '../paths';
import { createKeytarStore, createNodeSecretStore } from '../secrets';
import { createServices } from '../services';
import type { StartOptions } from './protocol';
import type { CoreRuntime } from './server';

export async function openCore(options: StartOptions): Promise<CoreRuntime> {
  const { dataDir, host, nativeBinding, echoLogs } = options;
  // The core owns huntaze.log; the host writes its own file beside it.
  const logger = createFileLogger({ dataDir, echo: echoLogs });
  try {
    // Both hosts use this store: Electron's safeStorage lives in the shell, which the core cannot call.
    const secrets = await createNodeSecretStore({ dataDir, logger, keychain: () => createKeytarStore(keychainService(dataDir)) });
    const services = await createServices({ dataDir, host, logger, secrets, nativeBinding });
    return { api: services, logger, close: () => services.close(), closeLog: () => logger.close() };
  } catch (err) {
    await logger.close();
    throw err;
  }
}
