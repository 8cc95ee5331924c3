import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/**
 * A real HTTP proxy on 127.0.0.1 in front of dynalite or fauxqs. It stands in ONLY for what the
 * emulators cannot do, and forwards everything else untouched:
 *  - IAM: the actions named in `deny` get AWS's own AccessDenied wire reply (DynamoDB: JSON 1.0,
 *    HTTP 400 `com.amazon.coral.service#AccessDeniedException`; SNS: query-protocol XML
 *    `AuthorizationError`, HTTP 403), since neither emulator enforces any policy;
 *  - point-in-time recovery: dynalite lacks Update/DescribeContinuousBackups, so the gate keeps
 *    that state per table (checking the table exists upstream) with the real reply shapes;
 *  - clock skew: every reply's `Date` header is moved by `dateOffsetMs`.
 */
export interface AwsGate {
  endpoint: string;
  deny: Set<string>;
  dateOffsetMs: number;
  /** The actions seen, in order (`dynamodb:PutItem`, `sns:Subscribe`): lets a test prove a probe had no side effect. */
  seen: string[];
}

export const GATE_ACCOUNT = '123456789012';

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

interface Outgoing {
  url?: string;
  method?: string;
  headers: IncomingMessage['headers'];
}

function forward(upstream: URL, req: Outgoing, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
    const out = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (res) => {
      void readBody(res).then((b) => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k] = v;
        resolve({ status: res.statusCode ?? 500, headers: h, body: b });
      }, reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}

export function useAwsGate(): (upstream: string, service: 'dynamodb' | 'sns') => Promise<AwsGate> {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
  return async (upstreamEndpoint, service) => {
    const upstream = new URL(upstreamEndpoint);
    const pitr = new Map<string, boolean>();
    const gate: AwsGate = { endpoint: '', deny: new Set(), dateOffsetMs: 0, seen: [] };
    const reply = (res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string) => {
      const date = new Date(Date.now() + gate.dateOffsetMs).toUTCString();
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      const { 'content-length': _, date: __, connection: ___, 'transfer-encoding': ____, ...rest } = headers;
      res.writeHead(status, { ...rest, date, 'content-length': String(payload.length) });
      res.end(payload);
    };
    const server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        const action =
          service === 'dynamodb'
            ? String(req.headers['x-amz-target'] ?? '').split('.').at(-1) ?? ''
            : new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
        const qualified = `${service}:${action}`;
        gate.seen.push(qualified);
        if (gate.deny.has(qualified)) {
          const message = `User: arn:aws:iam::${GATE_ACCOUNT}:user/x is not authorized to perform: ${qualified} on resource: *`;
          if (service === 'dynamodb') {
            return reply(res, 400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'gate' }, JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message }));
          }
          const xml = `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>${message}</Message></Error><RequestId>gate</RequestId></ErrorResponse>`;
          return reply(res, 403, { 'content-type': 'text/xml', 'x-amzn-requestid': 'gate' }, xml);
        }
        if (service === 'dynamodb' && (action === 'UpdateContinuousBackups' || action === 'DescribeContinuousBackups')) {
          const input = JSON.parse(body.toString('utf8')) as { TableName: string; PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: boolean } };
          const describe = await forward(upstream, { url: req.url, method: req.method, headers: { ...req.headers, 'x-amz-target': 'DynamoDB_20120810.DescribeTable' } }, Buffer.from(JSON.stringify({ TableName: input.TableName })));
          if (describe.status !== 200) {
            const notFound = { __type: 'com.amazonaws.dynamodb.v20120810#TableNotFoundException', message: `Table not found: ${input.TableName}` };
            return reply(res, 400, { 'content-type': 'application/x-amz-json-1.0' }, JSON.stringify(notFound));
          }
          if (action === 'UpdateContinuousBackups') pitr.set(input.TableName, input.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true);
          const status = pitr.get(input.TableName) ? 'ENABLED' : 'DISABLED';
          return reply(res, 200, { 'content-type': 'application/x-amz-json-1.0' }, JSON.stringify({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: status } } }));
        }
        const out = await forward(upstream, req, body);
        return reply(res, out.status, out.headers, out.body);
      })().catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gate.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return gate;
  };
}
