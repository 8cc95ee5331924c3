import { Agent, request } from 'node:http';
import { countTokens } from 'gpt-tokenizer';
import OpenAI, { AzureOpenAI } from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { manualClock } from '../../main/ports/clock';
import { type SandboxServer, startSandbox } from '../../main/sandbox/server';

const START = Date.UTC(2026, 0, 1, 12);
const API_VERSION = '2024-10-21';
const MESSAGES: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You write short, warm messages for fans.' },
  { role: 'user', content: 'Write a welcome note for Anna, who just subscribed.' },
];
const DEFAULT_TEXT = 'Sandbox reply: Write a welcome note for Anna, who just subscribed.';
const PROMPT_TOKENS = 3 + MESSAGES.reduce((sum, m) => sum + countTokens(String(m.content)) + 3, 0);

type ApiError = InstanceType<typeof OpenAI.APIError>;

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: ApiError) => err,
  );
}

/** Yields to the event loop until `check` holds; I/O progresses in between, no wall-clock wait. */
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 10_000; i++) {
    if (check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: method === 'POST' ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as { error: Record<string, unknown> } };
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>, into: ChatCompletionChunk[]) {
  for await (const chunk of stream) into.push(chunk);
  return into;
}

const contentOf = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('sandbox AI provider', () => {
  let sandbox: SandboxServer | undefined;

  afterEach(async () => {
    vi.useRealTimers();
    await sandbox?.close();
    sandbox = undefined;
  });

  async function start() {
    sandbox = await startSandbox({ clock: manualClock(START) });
    const sb = sandbox;
    return {
      sb,
      openai: new OpenAI({ apiKey: 'sk-test', baseURL: sb.openaiBaseURL, maxRetries: 0 }),
      azure: new AzureOpenAI({ apiKey: 'azure-key', endpoint: sb.azureEndpoint, apiVersion: API_VERSION, deployment: 'huntaze-gpt-4o-mini', maxRetries: 0 }),
      local: new OpenAI({ apiKey: 'unused', baseURL: sb.localBaseURL, maxRetries: 0 }),
    };
  }

  describe('successful calls', () => {
    it('answers OpenAI with a chat.completion, token usage and a request id', async () => {
      const { sb, openai } = await start();
      const { data, response } = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }).withResponse();

      expect(sb.url).toBe(`http://127.0.0.1:${sb.port}`);
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(data).toMatchObject({
        object: 'chat.completion',
        created: START / 1000,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: DEFAULT_TEXT, refusal: null }, finish_reason: 'stop', logprobs: null }],
      });
      expect(data.id).toMatch(/^chatcmpl-\w+$/);
      const completionTokens = countTokens(DEFAULT_TEXT);
      expect(data.usage).toMatchObject({
        prompt_tokens: PROMPT_TOKENS,
        completion_tokens: completionTokens,
        total_tokens: PROMPT_TOKENS + completionTokens,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      });
      expect(sb.requests()).toEqual([
        {
          target: 'openai',
          path: '/v1/chat/completions',
          deployment: null,
          model: 'gpt-4o-mini',
          apiVersion: null,
          stream: false,
          includeUsage: false,
          maxTokens: null,
          authPresent: true,
          at: START,
        },
      ]);
    });

    it('routes Azure by deployment with api-version and names the model behind the deployment', async () => {
      const { sb, azure } = await start();
      const mini = await azure.chat.completions.create({ model: 'ignored-by-azure', messages: MESSAGES });
      expect(mini.model).toBe('gpt-4o-mini-2024-07-18');
      expect(mini.choices[0]?.message.content).toBe(DEFAULT_TEXT);
      expect(mini.usage?.prompt_tokens).toBe(PROMPT_TOKENS);

      // Without a fixed deployment the SDK puts the model into the path.
      const byModel = new AzureOpenAI({ apiKey: 'azure-key', endpoint: sb.azureEndpoint, apiVersion: API_VERSION, maxRetries: 0 });
      expect((await byModel.chat.completions.create({ model: 'prod-east', messages: MESSAGES })).model).toBe('gpt-4o-2024-08-06');

      expect(sb.requests().map(({ path, deployment, apiVersion, authPresent }) => ({ path, deployment, apiVersion, authPresent }))).toEqual([
        { path: '/openai/deployments/huntaze-gpt-4o-mini/chat/completions', deployment: 'huntaze-gpt-4o-mini', apiVersion: API_VERSION, authPresent: true },
        { path: '/openai/deployments/prod-east/chat/completions', deployment: 'prod-east', apiVersion: API_VERSION, authPresent: true },
      ]);
      expect(sb.requests().every((r) => r.target === 'azure')).toBe(true);
    });

    it('serves the local target without a key and applies scripted replies and usage', async () => {
      const { sb, local } = await start();
      sb.script('local', [{ kind: 'ok', reply: { text: 'Hi Anna, welcome!', usage: { promptTokens: 1200, cachedTokens: 1024, completionTokens: 40 } } }]);
      const scripted = await local.chat.completions.create({ model: 'llama3.1:8b', messages: MESSAGES });
      expect(scripted.model).toBe('llama3.1:8b');
      expect(scripted.choices[0]?.message.content).toBe('Hi Anna, welcome!');
      expect(scripted.usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 40, total_tokens: 1240, prompt_tokens_details: { cached_tokens: 1024 } });

      const keyless = await post(`${sb.localBaseURL}/chat/completions`, { model: 'llama3.1:8b', messages: MESSAGES });
      expect(keyless.status).toBe(200);
      expect(keyless.json).toMatchObject({ choices: [{ message: { content: DEFAULT_TEXT } }] });
      expect(sb.requests().map((r) => [r.target, r.authPresent])).toEqual([
        ['local', true],
        ['local', false],
      ]);
    });

    it('caps the reply at max_tokens and reports finish_reason length', async () => {
      const { sb, openai } = await start();
      const capped = await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, max_completion_tokens: 3 });
      expect(capped.choices[0]?.finish_reason).toBe('length');
      expect(capped.usage?.completion_tokens).toBe(3);
      expect(DEFAULT_TEXT.startsWith(capped.choices[0]?.message.content ?? '')).toBe(true);
      await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, max_tokens: 500 });
      expect(sb.requests().map((r) => r.maxTokens)).toEqual([3, 500]);
    });

    it('streams role, content pieces, finish and a final usage chunk when include_usage is set', async () => {
      const { sb, openai } = await start();
      const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
      const chunks = await collect(stream, []);

      expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
      expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThanOrEqual(3);
      expect(contentOf(chunks)).toBe(DEFAULT_TEXT);
      expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
      expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'gpt-4o')).toBe(true);
      expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
      const last = chunks.at(-1);
      expect(last?.choices).toEqual([]);
      expect(last?.usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: countTokens(DEFAULT_TEXT) });
      expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
      expect(sb.requests()[0]).toMatchObject({ stream: true, includeUsage: true });
    });

    it('streams without any usage when include_usage is not set', async () => {
      const { sb, openai } = await start();
      const chunks = await collect(await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true }), []);
      expect(contentOf(chunks)).toBe(DEFAULT_TEXT);
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
      expect(chunks.every((c) => c.usage === undefined)).toBe(true);
      expect(sb.requests()[0]).toMatchObject({ stream: true, includeUsage: false });
    });

    it('streams from Azure in the same shape, including a content-filter finish with usage', async () => {
      const { sb, azure } = await start();
      sb.script('azure', [{ kind: 'content_filter_finish' }]);
      const chunks = await collect(
        await azure.chat.completions.create({ model: 'x', messages: MESSAGES, stream: true, stream_options: { include_usage: true } }),
        [],
      );
      const text = contentOf(chunks);
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThan(DEFAULT_TEXT.length);
      expect(DEFAULT_TEXT.startsWith(text)).toBe(true);
      expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('content_filter');
      expect(chunks.at(-1)?.usage?.completion_tokens).toBe(countTokens(text));
      expect(chunks[0]?.model).toBe('gpt-4o-mini-2024-07-18');
    });

    it('carries 200 concurrent calls across the three targets', async () => {
      const { sb, openai, azure, local } = await start();
      const clients = [openai, azure, local];
      const replies = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          clients[i % 3]!.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `fan ${i}` }] }),
        ),
      );
      expect(replies.map((r) => r.choices[0]?.message.content)).toEqual(Array.from({ length: 200 }, (_, i) => `Sandbox reply: fan ${i}`));
      expect(sb.requests()).toHaveLength(200);
    });
  });

  describe('faults', () => {
    it('rate_limit answers 429 rate_limit_exceeded with the retry headers it was given', async () => {
      const { sb, openai, azure } = await start();
      sb.script('openai', [{ kind: 'rate_limit', retryAfterMs: 250, retryAfterSeconds: 1 }]);
      sb.script('azure', [{ kind: 'rate_limit', retryAfterSeconds: 7 }]);

      const err = await failure(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }));
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect(err.status).toBe(429);
      expect(err.code).toBe('rate_limit_exceeded');
      expect(err.headers?.get('retry-after-ms')).toBe('250');
      expect(err.headers?.get('retry-after')).toBe('1');
      expect(err.requestID).toMatch(/^[0-9a-f-]{36}$/);

      const azureErr = await failure(azure.chat.completions.create({ model: 'x', messages: MESSAGES }));
      expect(azureErr).toBeInstanceOf(OpenAI.RateLimitError);
      expect(azureErr.code).toBe('rate_limit_exceeded');
      expect(azureErr.headers?.get('retry-after')).toBe('7');
      expect(azureErr.headers?.get('retry-after-ms')).toBeNull();
    });

    it('quota, server errors and bad keys carry each provider’s status and codes', async () => {
      const { sb, openai, azure } = await start();
      sb.script('openai', [{ kind: 'quota' }, { kind: 'server_error' }, { kind: 'unavailable' }, { kind: 'unauthorized' }]);
      sb.script('azure', [{ kind: 'quota' }, { kind: 'server_error' }, { kind: 'unavailable' }, { kind: 'unauthorized' }]);
      const call = (client: OpenAI) => failure(client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }));

      for (const client of [openai, azure]) {
        const quota = await call(client);
        expect(quota).toBeInstanceOf(OpenAI.RateLimitError);
        expect([quota.status, quota.code, quota.type]).toEqual([429, 'insufficient_quota', 'insufficient_quota']);
        const serverError = await call(client);
        expect(serverError).toBeInstanceOf(OpenAI.InternalServerError);
        expect(serverError.status).toBe(500);
        const unavailable = await call(client);
        expect(unavailable).toBeInstanceOf(OpenAI.InternalServerError);
        expect(unavailable.status).toBe(503);
        const unauthorized = await call(client);
        expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
        expect(unauthorized.status).toBe(401);
        if (client === openai) expect(unauthorized.code).toBe('invalid_api_key');
        else {
          expect(unauthorized.code).toBe('401');
          expect(unauthorized.message).toContain('Access denied due to invalid subscription key');
        }
      }
      expect((await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).choices[0]?.finish_reason).toBe('stop');
    });

    it('content_filter answers an Azure-style 400 with the filter verdict', async () => {
      const { sb, azure } = await start();
      sb.script('azure', [{ kind: 'content_filter' }]);
      const err = await failure(azure.chat.completions.create({ model: 'x', messages: MESSAGES }));
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect([err.status, err.code, err.param]).toEqual([400, 'content_filter', 'prompt']);
      expect(err.error).toMatchObject({
        status: 400,
        innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { sexual: { filtered: true } } },
      });
    });

    it('content_filter_finish returns a truncated 200 with finish_reason content_filter and usage', async () => {
      const { sb, azure } = await start();
      sb.script('azure', [{ kind: 'content_filter_finish' }]);
      const reply = await azure.chat.completions.create({ model: 'x', messages: MESSAGES });
      const content = reply.choices[0]?.message.content ?? '';
      expect(reply.choices[0]?.finish_reason).toBe('content_filter');
      expect(content.length).toBeLessThan(DEFAULT_TEXT.length);
      expect(DEFAULT_TEXT.startsWith(content)).toBe(true);
      expect(reply.usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: countTokens(content) });
    });

    it('timeout holds the request until the SDK gives up, then the next request succeeds', async () => {
      const { sb, openai } = await start();
      sb.script('openai', [{ kind: 'timeout' }]);
      const err = await failure(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }, { timeout: 200 }));
      expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
      expect((await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).choices[0]?.message.content).toBe(DEFAULT_TEXT);
    });

    it('latency holds back the first byte', async () => {
      const { sb, openai } = await start();
      sb.setLatency('openai', 60_000);
      const err = await failure(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }, { timeout: 200 }));
      expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
      sb.setLatency('openai', 0);
      expect((await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).choices).toHaveLength(1);
      expect(() => sb.setLatency('openai', -1)).toThrow(RangeError);
    });

    it('reset, and stream_drop without streaming, cut the connection without a response', async () => {
      const { sb, openai } = await start();
      sb.script('openai', [{ kind: 'reset' }, { kind: 'stream_drop' }]);
      for (let i = 0; i < 2; i++) {
        const err = await failure(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }));
        expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
        expect(err).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
        expect(err.status).toBeUndefined();
      }
      expect((await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).choices).toHaveLength(1);
    });

    it('stream_drop sends some content, then the for-await loop throws', async () => {
      const { sb, openai, azure } = await start();
      sb.script('openai', [{ kind: 'stream_drop' }, { kind: 'stream_drop', afterChunks: 1 }]);
      sb.script('azure', [{ kind: 'stream_drop', afterChunks: 3 }]);
      const cases: Array<[OpenAI, number]> = [
        [openai, 2],
        [openai, 1],
        [azure, 3],
      ];
      for (const [client, pieces] of cases) {
        const chunks: ChatCompletionChunk[] = [];
        const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
        const err = await failure(collect(stream, chunks));
        // The SDK does not wrap a mid-stream cut: it surfaces undici's own error.
        expect(err).not.toBeInstanceOf(OpenAI.APIError);
        expect(err).toBeInstanceOf(TypeError);
        expect(chunks.filter((c) => c.choices[0]?.delta.content)).toHaveLength(pieces);
        expect(DEFAULT_TEXT.startsWith(contentOf(chunks))).toBe(true);
        expect(chunks.some((c) => c.choices[0]?.finish_reason || c.usage)).toBe(false);
      }
    });

    it('a standing fault applies until cleared, and queued items take precedence', async () => {
      const { sb, openai, azure } = await start();
      sb.setStandingFault('openai', { kind: 'unavailable' });
      expect(sb.standingFaults()).toEqual({ openai: { kind: 'unavailable' } });
      const call = () => openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });

      expect((await failure(call())).status).toBe(503);
      expect((await failure(call())).status).toBe(503);
      sb.script('openai', [{ kind: 'ok', reply: { text: 'queued wins' } }, { kind: 'quota' }]);
      expect((await call()).choices[0]?.message.content).toBe('queued wins');
      expect((await failure(call())).code).toBe('insufficient_quota');
      expect((await failure(call())).status).toBe(503);
      expect((await azure.chat.completions.create({ model: 'x', messages: MESSAGES })).choices).toHaveLength(1);

      sb.setStandingFault('openai', null);
      expect(sb.standingFaults()).toEqual({});
      expect((await call()).choices[0]?.message.content).toBe(DEFAULT_TEXT);
    });

    it('reset() clears queues, standing faults, latencies and the request log', async () => {
      const { sb, openai } = await start();
      await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
      sb.script('openai', [{ kind: 'server_error' }]);
      sb.setStandingFault('openai', { kind: 'quota' });
      sb.setLatency('openai', 60_000);
      sb.reset();
      expect(sb.requests()).toEqual([]);
      expect(sb.standingFaults()).toEqual({});
      expect((await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }, { timeout: 5_000 })).choices).toHaveLength(1);
      expect(sb.requests()).toHaveLength(1);
    });
  });

  describe('protocol errors', () => {
    it('answers 404 for unknown paths and for Azure calls without api-version, 405 for other methods', async () => {
      const { sb } = await start();
      const unknown = await post(`${sb.url}/v1/embeddings`, {}, { authorization: 'Bearer k' });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error).toMatchObject({ type: 'invalid_request_error', message: 'Invalid URL (POST /v1/embeddings)' });
      expect(unknown.headers.get('x-request-id')).toBeTruthy();

      const noVersion = await post(`${sb.azureEndpoint}/openai/deployments/d/chat/completions`, { messages: MESSAGES }, { 'api-key': 'k' });
      expect(noVersion.status).toBe(404);
      expect(noVersion.json.error).toEqual({ code: '404', message: 'Resource not found' });

      const get = await post(sb.openaiBaseURL + '/chat/completions', null, {}, 'GET');
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
    });

    it('answers 400 invalid_request_error for malformed bodies', async () => {
      const { sb, openai } = await start();
      const empty = await failure(openai.chat.completions.create({ model: 'gpt-4o', messages: [] }));
      expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
      expect([empty.status, empty.type, empty.code, empty.param]).toEqual([400, 'invalid_request_error', null, 'messages']);

      const url = `${sb.openaiBaseURL}/chat/completions`;
      const auth = { authorization: 'Bearer k' };
      const notJson = await post(url, '{"model":', auth);
      expect([notJson.status, notJson.json.error.type, notJson.json.error.param]).toEqual([400, 'invalid_request_error', null]);
      const noModel = await post(url, { messages: MESSAGES }, auth);
      expect([noModel.status, noModel.json.error.param]).toEqual([400, 'model']);
      const badContent = await post(url, { model: 'm', messages: [{ role: 'user', content: 42 }] }, auth);
      expect([badContent.status, badContent.json.error.param]).toEqual([400, 'messages.0.content']);
      // A bad call still shows up in the log, which is how a test sees what the app sent.
      expect(sb.requests()).toHaveLength(4);
    });

    it('answers 401 when Azure or OpenAI get no key', async () => {
      const { sb } = await start();
      const openai = await post(`${sb.openaiBaseURL}/chat/completions`, { model: 'm', messages: MESSAGES });
      expect(openai.status).toBe(401);
      expect(openai.json.error).toMatchObject({ type: 'invalid_request_error', code: null });
      const azure = await post(`${sb.azureEndpoint}/openai/deployments/d/chat/completions?api-version=${API_VERSION}`, { messages: MESSAGES });
      expect(azure.status).toBe(401);
      expect(azure.json.error.code).toBe('401');
      expect(sb.requests().map((r) => r.authPresent)).toEqual([false, false]);
    });

    it('keeps only the last 10 000 requests', async () => {
      const { sb } = await start();
      // Plain node:http with keep-alive: fetch would make this test several times slower.
      const agent = new Agent({ keepAlive: true, maxSockets: 32 });
      const send = (body: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request(`${sb.localBaseURL}/chat/completions`, { method: 'POST', agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end(body);
        });
      const bulk = 10_000;
      let next = 0;
      const statuses = new Set<number>();
      const worker = async () => {
        while (next < bulk) statuses.add(await send(JSON.stringify({ model: `bulk${next++}`, messages: [] })));
      };
      try {
        await Promise.all(Array.from({ length: 32 }, worker));
        // Sent one by one so that their arrival order is known.
        for (let i = 0; i < 50; i++) statuses.add(await send(JSON.stringify({ model: `late${i}`, messages: [] })));
      } finally {
        agent.destroy();
      }
      expect([...statuses]).toEqual([400]);
      const log = sb.requests();
      expect(log).toHaveLength(10_000);
      expect(new Set(log.map((r) => r.model)).size).toBe(10_000);
      expect(log.slice(-50).map((r) => r.model)).toEqual(Array.from({ length: 50 }, (_, i) => `late${i}`));
      expect(log.slice(0, -50).every((r) => r.model?.startsWith('bulk'))).toBe(true);
    });
  });

  describe('close()', () => {
    it('destroys a request held by a timeout fault and leaves no socket open', async () => {
      const { sb, openai, azure } = await start();
      sb.script('openai', [{ kind: 'timeout' }]);
      sb.script('azure', [{ kind: 'timeout' }]);
      const held = [
        failure(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })),
        failure(azure.chat.completions.create({ model: 'x', messages: MESSAGES, stream: true })),
      ];
      await until(() => sb.requests().length === 2, 'both requests reached the sandbox');

      await sb.close();
      for (const err of await Promise.all(held)) expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
      const tcp = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'));
      await until(() => tcp().length === 0, 'every TCP handle closed');
      expect(tcp()).toEqual([]);
      await expect(sb.close()).resolves.toBeUndefined();
    });

    it('clears the timer of a request waiting out its latency', async () => {
      const { sb } = await start();
      sb.setLatency('local', 600_000);
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const outcome = new Promise<string>((resolve) => {
        const req = request(`${sb.localBaseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, () =>
          resolve('answered'),
        );
        req.on('error', (err) => resolve(err.message));
        req.end(JSON.stringify({ model: 'm', messages: MESSAGES }));
      });
      await until(() => sb.requests().length === 1, 'the request reached the sandbox');
      expect(vi.getTimerCount()).toBe(1);

      await sb.close();
      expect(await outcome).toBe('socket hang up');
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
