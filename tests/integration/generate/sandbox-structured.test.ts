import { encode } from 'gpt-tokenizer';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { manualClock } from '../../../main/ports/clock';
import { CACHE_TTL_MS, PromptCache } from '../../../main/sandbox/prompt-cache';
import { type SandboxServer, startSandbox, type StructuredFault } from '../../../main/sandbox/server';
import { batchSchema } from '../../../main/campaigns/generate-prompt';

const validator = (schema: object) => z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);

const servers: SandboxServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function sandbox(clock = manualClock()) {
  const s = await startSandbox({ clock });
  servers.push(s);
  return { s, clock };
}

interface Reply {
  choices: Array<{ message: { content: string }; finish_reason: string }>;
  usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } };
}

async function chat(s: SandboxServer, body: Record<string, unknown>): Promise<Reply> {
  const res = await fetch(`${s.openaiBaseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', ...body }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Reply;
}

// About 2 000 tokens of stable text, and a short tail that changes.
const LONG = Array.from({ length: 200 }, (_, i) => `Rule ${i}: keep the voice warm and the message short.`).join('\n');
const messages = (tail: string) => [
  { role: 'system', content: LONG },
  { role: 'user', content: tail },
];

describe('sandbox prompt caching', () => {
  it('reports the shared prefix of 1 024 tokens or more as cached_tokens, in blocks of 128', async () => {
    const { s } = await sandbox();
    const first = await chat(s, { messages: messages('first fan') });
    const second = await chat(s, { messages: messages('second fan') });
    expect(first.usage.prompt_tokens_details.cached_tokens).toBe(0);
    // The system message, framed by three template tokens, then the user message's own three.
    const shared = 3 + encode(LONG).length + 3;
    expect(second.usage.prompt_tokens_details.cached_tokens).toBe(shared - (shared % 128));
    expect(second.usage.prompt_tokens).toBe(first.usage.prompt_tokens - encode('first fan').length + encode('second fan').length);
  });

  it('caches nothing below 1 024 shared tokens, across models, or once the entry expired on the sandbox clock', async () => {
    const { s, clock } = await sandbox();
    const short = Array.from({ length: 60 }, (_, i) => `Rule ${i}.`).join(' ');
    await chat(s, { messages: [{ role: 'system', content: short }, { role: 'user', content: 'a' }] });
    const notEnough = await chat(s, { messages: [{ role: 'system', content: short }, { role: 'user', content: 'b' }] });
    expect(notEnough.usage.prompt_tokens_details.cached_tokens).toBe(0);

    await chat(s, { messages: messages('x') });
    expect((await chat(s, { model: 'gpt-4o', messages: messages('y') })).usage.prompt_tokens_details.cached_tokens).toBe(0);
    clock.advance(CACHE_TTL_MS + 1);
    expect((await chat(s, { messages: messages('z') })).usage.prompt_tokens_details.cached_tokens).toBe(0);
    expect((await chat(s, { messages: messages('w') })).usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(0);
  });

  it('counts the response schema as the start of the prompt: another schema misses the cache', async () => {
    const { s } = await sandbox();
    const format = (n: number) => ({ type: 'json_schema', json_schema: { name: 'm', strict: true, schema: { type: 'object', properties: { n: { type: 'integer', enum: [n] } } } } });
    await chat(s, { messages: messages('a'), response_format: format(1) });
    expect((await chat(s, { messages: messages('b'), response_format: format(1) })).usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(1_024);
    expect((await chat(s, { messages: messages('c'), response_format: format(2) })).usage.prompt_tokens_details.cached_tokens).toBe(0);
  });

  it('keeps a bounded number of prompts, dropping the least recently used', () => {
    const cache = new PromptCache({ maxEntries: 2 });
    const prompt = (seed: number) => Array.from({ length: 1_200 }, (_, i) => seed * 10_000 + i);
    cache.lookup('m', prompt(1), 0);
    cache.lookup('m', prompt(2), 1);
    expect(cache.lookup('m', prompt(1), 2)).toBe(1_152);
    cache.lookup('m', prompt(3), 3);
    // 2 was the least recently used of the three and went.
    expect(cache.lookup('m', prompt(2), 4)).toBe(0);
    expect(cache.lookup('m', prompt(3), 5)).toBe(1_152);
  });
});

/** The generator's own reply schema: the one the sandbox must honour. */
const fanSchema = (n: number) => batchSchema(n).schema;

describe('sandbox structured output', () => {
  const ask = async (s: SandboxServer, schema: Record<string, unknown>, user: string) => {
    const r = await chat(s, { messages: [{ role: 'user', content: user }], response_format: { type: 'json_schema', json_schema: { name: 'out', strict: true, schema } } });
    return r.choices[0]!.message.content;
  };

  it('emits one item per enum value, each written for that value’s line of the prompt', async () => {
    const { s } = await sandbox();
    const schema = fanSchema(3);
    const text = await ask(s, schema, 'Write one each:\n1 | Ana | whale | tags: gym\n2 | Bo | light | tags: none\n3 | Cy | regular | tags: travel');
    const reply = validator(schema).parse(JSON.parse(text)) as { messages: Array<{ slot: number; text: string }> };
    expect(reply.messages.map((m) => m.slot)).toEqual([1, 2, 3]);
    expect(reply.messages[0]!.text).toMatch(/^Hey Ana!/);
    expect(reply.messages[2]!.text).toContain('travel');
    expect(new Set(reply.messages.map((m) => m.text)).size).toBe(3);
  });

  it('honours a general schema: nested objects, arrays with bounds, enums, numbers, nullable, anyOf', async () => {
    const { s } = await sandbox();
    const schema = {
      type: 'object',
      required: ['title', 'mood', 'score', 'count', 'ok', 'tags', 'meta', 'note', 'either'],
      properties: {
        title: { type: 'string', maxLength: 12 },
        mood: { type: 'string', enum: ['happy', 'sad'] },
        score: { type: 'number', minimum: 2.5 },
        count: { type: 'integer', minimum: 3 },
        ok: { type: 'boolean' },
        tags: { type: 'array', minItems: 2, maxItems: 4, items: { type: 'string' } },
        meta: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
        note: { type: ['string', 'null'] },
        either: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 7 }] },
      },
    };
    const value = JSON.parse(await ask(s, schema, 'Describe a day.'));
    expect(() => validator(schema).parse(value)).not.toThrow();
    expect(value.tags).toHaveLength(2);
    expect(value.title.length).toBeLessThanOrEqual(12);
  });

  it.each<[StructuredFault, (items: Array<{ slot: number; text: string }> | null) => void]>([
    [{ kind: 'drop', index: 1 }, (items) => expect(items!.map((m) => m.slot)).toEqual([1, 3])],
    [{ kind: 'wrong_id', index: 0 }, (items) => expect(items!.map((m) => m.slot)).toEqual([1_000_000, 2, 3])],
    [{ kind: 'empty_text', index: 2 }, (items) => expect(items![2]!.text).toBe('')],
    [{ kind: 'duplicate', index: 0 }, (items) => expect(items!.map((m) => m.slot)).toEqual([2, 2, 3])],
    [{ kind: 'not_object', index: 1 }, (items) => expect(typeof items![1]).toBe('string')],
    [{ kind: 'not_json' }, (items) => expect(items).toBeNull()],
  ])('scripts a damaged reply: %o', async (fault, check) => {
    const { s } = await sandbox();
    s.script('openai', [{ kind: 'ok', reply: { structured: fault } }]);
    const text = await ask(s, fanSchema(3), '1 | Ana\n2 | Bo\n3 | Cy');
    let items: Array<{ slot: number; text: string }> | null;
    try {
      items = (JSON.parse(text) as { messages: Array<{ slot: number; text: string }> }).messages;
    } catch {
      items = null;
    }
    check(items);
    // Only the scripted request is damaged.
    const next = JSON.parse(await ask(s, fanSchema(3), '1 | Ana\n2 | Bo\n3 | Cy')) as { messages: Array<{ slot: number }> };
    expect(next.messages.map((m) => m.slot)).toEqual([1, 2, 3]);
  });
});
