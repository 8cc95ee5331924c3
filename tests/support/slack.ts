import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** What the stand-in answers next: Slack's 200 "ok", a 429 with Retry-After, a 5xx, or a 4xx word. */
export type SlackReply = { status: 200 } | { status: 429; retryAfter: string } | { status: 500 | 503 } | { status: 403 | 404 | 400; body: string };

export interface SlackStandIn {
  /** A webhook URL on this server, shaped like Slack's `/services/T…/B…/…` path. */
  url: string;
  /** Payloads received, parsed; only those whose Block Kit shape checked out (others got a 400). */
  received: SlackPayload[];
  /** Requests of any kind, including the refused ones. */
  requests: number;
  /** Replies to use, in order, before falling back to 200. */
  script(...replies: SlackReply[]): void;
  /** While set, every request gets this status instead (an outage); null answers as scripted. */
  outage: 500 | 503 | null;
}

export interface SlackPayload {
  text: string;
  blocks: { type: string; text?: { type: string; text: string }; fields?: { type: string; text: string }[]; elements?: { type: string; text: string }[] }[];
}

/** The checks Slack makes that matter here: a fallback text, and header / section / context blocks with text objects. */
function blockKitProblem(body: unknown): string | null {
  const p = body as Partial<SlackPayload> | null;
  if (!p || typeof p.text !== 'string' || p.text.length === 0) return 'no_text';
  if (!Array.isArray(p.blocks) || p.blocks.length === 0 || p.blocks.length > 50) return 'invalid_blocks';
  const [header] = p.blocks;
  if (header?.type !== 'header' || header.text?.type !== 'plain_text' || !header.text.text || header.text.text.length > 150) return 'invalid_blocks';
  for (const b of p.blocks) {
    if (b.type === 'section' && !(b.text || b.fields?.length)) return 'invalid_blocks';
    if (b.type === 'section' && (b.fields?.length ?? 0) > 10) return 'invalid_blocks';
    if (b.type === 'context' && !b.elements?.length) return 'invalid_blocks';
    if (!['header', 'section', 'context', 'divider'].includes(b.type)) return 'invalid_blocks';
  }
  return null;
}

/** Loopback stand-ins for Slack's incoming webhooks, closed after each test. */
export function useSlackStandIns(): () => Promise<SlackStandIn> {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
  });
  return async () => {
    const replies: SlackReply[] = [];
    const state: SlackStandIn = {
      url: '',
      received: [],
      requests: 0,
      script: (...r) => void replies.push(...r),
      outage: null,
    };
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += String(d)));
      req.on('end', () => {
        state.requests++;
        if (req.method !== 'POST' || req.url !== new URL(state.url).pathname || !req.headers['content-type']?.startsWith('application/json')) {
          res.writeHead(404).end('no_service');
          return;
        }
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          res.writeHead(400).end('invalid_payload');
          return;
        }
        if (state.outage !== null) return void res.writeHead(state.outage).end('internal_error');
        const reply = replies.shift() ?? { status: 200 };
        if (reply.status === 429) return void res.writeHead(429, { 'retry-after': reply.retryAfter }).end('rate_limited');
        if (reply.status === 500 || reply.status === 503) return void res.writeHead(reply.status).end('internal_error');
        if ('body' in reply) return void res.writeHead(reply.status).end(reply.body);
        const problem = blockKitProblem(body);
        if (problem) return void res.writeHead(400).end(problem);
        state.received.push(body as SlackPayload);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0TEST/B0TEST/secretpart${servers.length}`;
    return state;
  };
}
