import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/**
 * What the proxy does to the next BatchWriteItem requests, in order (others pass through; `pass` is one untouched):
 * `unprocessed` forwards the first half of the items and answers the rest as UnprocessedItems,
 * `throttle` answers ProvisionedThroughputExceededException as DynamoDB does (HTTP 400, JSON 1.0),
 * `drop` forwards the request and destroys the socket before the answer (written, not acknowledged),
 * `hold` keeps the request open without forwarding it, until the client goes away.
 */
export type DynamoFault = 'pass' | 'unprocessed' | 'throttle' | 'drop' | 'hold';

export interface DynamoFaultProxy {
  endpoint: string;
  /** Faults for the next BatchWriteItem requests, one each. */
  schedule(...faults: DynamoFault[]): void;
  /** Faults not yet used. */
  remaining(): number;
  /** Resolves when a request is being held. */
  held(): Promise<void>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** A real loopback HTTP proxy in front of dynalite; stopped after each test. */
export function useDynamoFaults(): (target: string) => Promise<DynamoFaultProxy> {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });
  return async (target) => {
    const upstream = new URL(target);
    const faults: DynamoFault[] = [];
    let onHeld: (() => void) | null = null;
    const heldOnce = new Promise<void>((resolve) => (onHeld = resolve));
    const forward = (req: IncomingMessage, body: Buffer) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const headers = { ...req.headers, 'content-length': String(body.length) };
        const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (res) => {
          readBody(res).then((b) => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: b }), reject);
        });
        up.on('error', reject);
        up.end(body);
      });
    const server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        const isBatch = req.headers['x-amz-target'] === 'DynamoDB_20120810.BatchWriteItem';
        const fault = isBatch ? faults.shift() : undefined;
        if (fault === 'hold') {
          onHeld?.();
          return;
        }
        if (fault === 'throttle') {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'The level of configured provisioned throughput for the table was exceeded.' }));
          return;
        }
        if (fault === 'unprocessed') {
          const parsed = JSON.parse(body.toString('utf8')) as { RequestItems: Record<string, unknown[]> };
          const sent: Record<string, unknown[]> = {};
          const rest: Record<string, unknown[]> = {};
          for (const [table, reqs] of Object.entries(parsed.RequestItems)) {
            const half = Math.ceil(reqs.length / 2);
            sent[table] = reqs.slice(0, half);
            if (reqs.length > half) rest[table] = reqs.slice(half);
          }
          const up = await forward(req, Buffer.from(JSON.stringify({ RequestItems: sent })));
          if (up.status !== 200) {
            res.writeHead(up.status, { 'content-type': 'application/x-amz-json-1.0' }).end(up.body);
            return;
          }
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ UnprocessedItems: rest }));
          return;
        }
        const up = await forward(req, body);
        if (fault === 'drop') {
          req.socket.destroy();
          return;
        }
        res.writeHead(up.status, up.headers);
        res.end(up.body);
      })().catch(() => req.socket.destroy());
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      schedule: (...f) => void faults.push(...f),
      remaining: () => faults.length,
      held: () => heldOnce,
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  };
}
