/**
 * dynalite in its own process for `npm run bench -- aws`, so the server's work does not share an
 * event loop with the client whose throughput is measured (both paths alike). Sends { endpoint }.
 */
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

const server = dynalite({ createTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ endpoint: `http://127.0.0.1:${port}` });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
