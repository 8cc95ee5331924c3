import { join } from 'node:path';
import { MessageChannelMain, utilityProcess } from 'electron';
import type { CoreLink } from '../core/client';

/**
 * Starts the core (out/main/core.cjs) in a utilityProcess and links to it over a MessagePort.
 * Everything the link does beyond moving messages lives in main/core/, tested under plain Node.
 */
export function startCoreProcess(): CoreLink {
  const child = utilityProcess.fork(join(__dirname, 'core.cjs'), [], { serviceName: 'Huntaze core', stdio: 'inherit' });
  const { port1, port2 } = new MessageChannelMain();
  // The parent port only hands over the MessagePort; the protocol runs on the port.
  child.postMessage({ type: 'port' }, [port2]);
  return {
    send: (message) => port1.postMessage(message),
    onMessage(listener) {
      port1.on('message', (event) => listener(event.data));
      port1.start();
    },
    onExit: (listener) => void child.once('exit', (code) => listener({ code, signal: null })),
    kill: () => void child.kill(),
  };
}
