/**
 * The sandbox AI provider: a loopback HTTP server speaking Chat Completions as Azure OpenAI,
 * OpenAI and an OpenAI-compatible local model do, with scriptable latency and faults, so the
 * real `openai` SDK can be exercised without a network or a bill.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../ports/clock';
import { type ErrorReply, FaultBook, faultError, protocolErrors, type SandboxFault, type ScriptItem } from './faults';
import { buildCompletion, completionJson, parseChatRequest, replyModel, requestedSchema, type SandboxReply, type SandboxTarget, streamFrames } from './protocol';
import { PromptCache, promptTokenSequence } from './prompt-cache';
import { listenOn, readBoundedBody } from './http';

export type { SandboxFault } from './faults';
export type { SandboxReply, SandboxTarget } from './protocol';
export type { StructuredFault } from './structured';

export interface RecordedRequest {
  target: SandboxTarget;
  path: string;
  deployment: string | null;
  model: string | null;
  apiVersion: string | null;
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | null;
  authPresent: boolean;
  at: number;
}

export interface SandboxServer {
  url: string;
  port: number;
  /** For `new AzureOpenAI({ endpoint })`: the SDK appends /openai/deployments/{deployment}/…. */
  azureEndpoint: string;
  /** For `new OpenAI({ baseURL })`. */
  openaiBaseURL: string;
  /** For an OpenAI-compatible local model. */
  localBaseURL: string;
  /** Each request to the target takes the next item; an empty queue means normal success. */
  script(target: SandboxTarget, items: Array<SandboxFault | { kind: 'ok'; reply?: SandboxReply }>): void;
  /** Applies to every request to the target until cleared with null; queued items take precedence. */
  setStandingFault(target: SandboxTarget, fault: SandboxFault | null): void;
  standingFaults(): Partial<Record<SandboxTarget, SandboxFault>>;
  /** Delay before the first byte of every reply from the target. */
  setLatency(target: SandboxTarget, ms: number): void;
  /** Every request that reached a target, oldest first (the last 10 000). */
  requests(): RecordedRequest[];
  /** Clears queues, standing faults, latencies, recorded requests and the prompt cache. */
  reset(): void;
  /** Destroys every connection (including requests held by a `timeout` fault) and clears every timer. */
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  clock?: Pick<Clock, 'now'>;
}

// Loopback only: the sandbox accepts any key and must never be reachable from the network.
const BIND_ADDRESS = '127.0.0.1';
const MAX_RECORDED = 10_000;
const MAX_BODY_BYTES = 8 << 20;
const DEFAULT_DROP_AFTER = 2;
const DEFAULT_PACE_MS = 250;

interface Route {
  target: SandboxTarget;
  deployment: string | null;
}

const AZURE_PATH = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

function route(pathname: string): Route | null {
  if (pathname === '/v1/chat/completions') return { target: 'openai', deployment: null };
  if (pathname === '/local/v1/chat/completions') return { target: 'local', deployment: null };
  const azure = AZURE_PATH.exec(pathname);
  if (azure?.[1]) {
    try {
      return { target: 'azure', deployment: decodeURIComponent(azure[1]) };
    } catch {
      return null;
    }
  }
  return null;
}

function hasKey(req: IncomingMessage, target: SandboxTarget): boolean {
  const bearer = /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
  // Azure also accepts Entra ID tokens as a bearer.
  return target === 'azure' ? Boolean(req.headers['api-key']) || bearer : bearer;
}

/** A ring buffer, so that recording stays O(1) under a benchmark's request rate. */
class RequestLog {
  private items: RecordedRequest[] = [];
  private start = 0;
  push(r: RecordedRequest) {
    if (this.items.length < MAX_RECORDED) this.items.push(r);
    else {
      this.items[this.start] = r;
      this.start = (this.start + 1) % MAX_RECORDED;
    }
  }
  list(): RecordedRequest[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
  clear() {
    this.items = [];
    this.start = 0;
  }
}

function baseHeaders(target: SandboxTarget | null): Record<string, string> {
  const id = randomUUID();
  return target === 'azure' ? { 'x-request-id': id, 'apim-request-id': id } : { 'x-request-id': id };
}

function sendError(res: ServerResponse, target: SandboxTarget | null, reply: ErrorReply) {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...baseHeaders(target),
    ...reply.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxServer> {
  const clock = options.clock ?? systemClock;
  const faults = new FaultBook();
  const latency = new Map<SandboxTarget, number>();
  const log = new RequestLog();
  const promptCache = new PromptCache();
  const timers = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | null = null;

  /** Writes one frame per `everyMs`; a client that leaves, or close(), stops it. */
  function paced(res: ServerResponse, frames: string[], everyMs: number) {
    let next = 0;
    let timer: NodeJS.Timeout | null = null;
    const stop = () => {
      if (timer) {
        clearTimeout(timer);
        timers.delete(timer);
      }
    };
    const step = () => {
      if (timer) timers.delete(timer);
      timer = null;
      if (res.destroyed) return;
      res.write(frames[next++]!);
      if (next === frames.length) {
        res.off('close', stop);
        res.end();
        return;
      }
      timer = setTimeout(step, everyMs);
      timers.add(timer);
    };
    res.once('close', stop);
    step();
  }

  /** Runs `fn` after the target's latency, unless the client or close() ends the exchange first. */
  function afterLatency(target: SandboxTarget, res: ServerResponse, fn: () => void) {
    const ms = latency.get(target) ?? 0;
    if (ms <= 0) return fn();
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.off('close', cancel);
      if (!res.destroyed) fn();
    }, ms);
    const cancel = () => {
      clearTimeout(timer);
      timers.delete(timer);
    };
    timers.add(timer);
    res.once('close', cancel);
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string, r: Route, url: URL) {
    const target = r.target;
    const apiVersion = url.searchParams.get('api-version');
    const parsed = parseChatRequest(raw, target);
    const { stream, includeUsage } = parsed.summary;
    log.push({
      target,
      path: url.pathname,
      deployment: r.deployment,
      apiVersion,
      ...parsed.summary,
      authPresent: hasKey(req, target),
      at: clock.now(),
    });

    // Azure answers a call without api-version as an unknown resource.
    if (target === 'azure' && !apiVersion) return sendError(res, target, protocolErrors.notFound(target, 'POST', url.pathname));
    if (target !== 'local' && !hasKey(req, target)) return sendError(res, target, protocolErrors.missingKey(target));
    if (!parsed.ok) return sendError(res, target, protocolErrors.badRequest(parsed.message, parsed.param));

    const item: ScriptItem | undefined = faults.next(target);
    if (item?.kind === 'timeout') return; // held until the client gives up or close() destroys it
    afterLatency(target, res, () => {
      if (item?.kind === 'reset' || (item?.kind === 'stream_drop' && !stream)) {
        req.socket.destroy();
        return;
      }
      const error = item && item.kind !== 'ok' ? faultError(target, item) : null;
      if (error) return sendError(res, target, error);

      // Cached per deployment (Azure) or model: another model never shares a prefix.
      const cacheKey = `${target}\u0000${r.deployment ?? parsed.body.model ?? ''}`;
      const prompt = promptTokenSequence(parsed.body.messages, requestedSchema(parsed.body));
      const completion = buildCompletion({
        body: parsed.body,
        promptTokens: prompt.length,
        cachedTokens: promptCache.lookup(cacheKey, prompt, clock.now()),
        model: replyModel(target, r.deployment, parsed.body.model),
        createdSeconds: Math.floor(clock.now() / 1000),
        reply: item?.kind === 'ok' ? item.reply : undefined,
        contentFiltered: item?.kind === 'content_filter_finish',
      });
      if (!stream) {
        const json = completionJson(completion, target);
        res.writeHead(200, {
          ...baseHeaders(target),
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(json),
        });
        res.end(json);
        return;
      }

      const frames = streamFrames(completion, includeUsage, target);
      res.writeHead(200, { ...baseHeaders(target), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      if (item?.kind === 'stream_drop') {
        // Frames are: role, content pieces, finish, usage?, [DONE]; never reach the finish frame.
        const pieces = frames.length - (includeUsage ? 4 : 3);
        const sent = 1 + Math.min(Math.max(0, item.afterChunks ?? DEFAULT_DROP_AFTER), pieces);
        // Destroy only once the kernel has the bytes, so the client really sees them before the cut.
        res.write(frames.slice(0, sent).join(''), () => req.socket.destroy());
        return;
      }
      if (item?.kind === 'slow_stream') return paced(res, frames, item.everyMs ?? DEFAULT_PACE_MS);
      res.end(frames.join(''));
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const r = route(url.pathname);
    if (!r) {
      req.resume();
      return sendError(res, null, protocolErrors.notFound(null, req.method ?? 'GET', url.pathname));
    }
    if (req.method !== 'POST') {
      req.resume();
      return sendError(res, r.target, protocolErrors.methodNotAllowed(req.method ?? 'GET', url.pathname));
    }
    readBoundedBody(
      req,
      MAX_BODY_BYTES,
      () => sendError(res, r.target, protocolErrors.tooLarge()),
      (body) => handle(req, res, body, r, url),
      () => res.destroyed,
    );
  });
  // Node's default 5 s keep-alive would make idle benchmark connections reconnect constantly.
  server.keepAliveTimeout = 30_000;

  await listenOn(server, options.port ?? 0, BIND_ADDRESS);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${BIND_ADDRESS}:${port}`;

  return {
    url,
    port,
    azureEndpoint: url,
    openaiBaseURL: `${url}/v1`,
    localBaseURL: `${url}/local/v1`,
    script: (target, items) => faults.script(target, items),
    setStandingFault: (target, fault) => faults.setStanding(target, fault),
    standingFaults: () => faults.standingFaults(),
    setLatency(target, ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a non-negative number of ms, got ${ms}`);
      latency.set(target, ms);
    },
    requests: () => log.list(),
    reset() {
      faults.clear();
      latency.clear();
      log.clear();
      promptCache.clear();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
