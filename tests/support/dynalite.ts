import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import { afterEach } from 'vitest';

export interface DynaliteEndpoint {
  endpoint: string;
  /** Stops the server (a "DynamoDB unreachable" moment); `restart` listens again on the same port with the same data. */
  stop(): Promise<void>;
  restart(): Promise<void>;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * dynalite (DynamoDB's API over an in-memory LevelDB) on 127.0.0.1, spoken to by the real AWS
 * SDK. Table operations finish at once (no CREATING delay). Stopped after each test.
 */
export function useDynalite(): () => Promise<DynaliteEndpoint> {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) if (server.listening) await close(server);
  });
  return async () => {
    const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      async stop() {
        server.closeAllConnections();
        await close(server);
      },
      async restart() {
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      },
    };
  };
}
