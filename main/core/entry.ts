/**
 * The core process: database, secrets, AI and everything slow live here, so nothing they do can
 * stall the process that serves the windows. Started by a host (Electron's utilityProcess, or the
 * browser host's fork), never by hand.
 */
import { type HostLink, serveCore } from './server';
import { messagePortLink, parentProcessLink, type PortLike } from './links';
import { openCore } from './runtime';

/** Electron's utility process has `process.parentPort`; the shell sends a MessagePort through it first. */
interface ParentPortLike {
  once(event: 'message', listener: (event: { ports: PortLike[] }) => void): unknown;
}

function connectToHost(): Promise<HostLink> {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike | null }).parentPort;
  if (!parentPort) return Promise.resolve(parentProcessLink());
  return new Promise((resolve, reject) =>
    parentPort.once('message', ({ ports }) => (ports[0] ? resolve(messagePortLink(ports[0])) : reject(new Error('the shell sent no port')))),
  );
}

// A terminal's Ctrl-C or a service manager's SIGTERM reaches the whole process group: the host
// hears it too and asks the core to close, so the core waits for that word (or for the host to vanish).
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);

connectToHost()
  .then(async (link) => {
    const code = await serveCore(link, openCore);
    await link.drain();
    process.exit(code);
  })
  .catch((err: unknown) => {
    process.stderr.write(`huntaze core: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
