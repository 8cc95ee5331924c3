/**
 * Prompt caching as OpenAI and Azure OpenAI report it: a prompt sharing a prefix of at least
 * 1 024 tokens with a recent prompt to the same model comes back with `cached_tokens` = that
 * prefix, rounded down to a multiple of 128 (https://platform.openai.com/docs/guides/prompt-caching).
 * The structured-output schema is rendered before the system message, so a schema that changes
 * between requests changes the prefix and misses the cache, as it does on the real service.
 */
import { encode } from 'gpt-tokenizer';

export const CACHE_MIN_TOKENS = 1_024;
export const CACHE_BLOCK_TOKENS = 128;
/** OpenAI keeps a prefix 5–10 minutes after its last use (up to an hour off-peak); the sandbox takes ten. */
export const CACHE_TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 256;

// Stand-ins for the chat template's special tokens: a role boundary is never part of text.
const ROLE_TOKENS: Record<string, number> = { system: -1, developer: -2, user: -3, assistant: -4, tool: -5 };
const MESSAGE_START = -10;
const MESSAGE_END = -11;
const SCHEMA_MARK = -12;

/**
 * The prompt as the model sees it, token by token: the schema (if any), then each message framed
 * by three template tokens, then three that prime the reply — the count the sandbox always charged.
 */
export function promptTokenSequence(messages: ReadonlyArray<{ role: string; content: string }>, schema: unknown): number[] {
  const out: number[] = [];
  if (schema !== undefined) out.push(SCHEMA_MARK, ...encode(JSON.stringify(schema)));
  for (const m of messages) {
    out.push(MESSAGE_START, ROLE_TOKENS[m.role] ?? -6, MESSAGE_END);
    for (const t of encode(m.content)) out.push(t);
  }
  out.push(MESSAGE_START, ROLE_TOKENS.assistant!, MESSAGE_END);
  return out;
}

interface Entry {
  tokens: number[];
  usedAt: number;
}

/** Bounded (least recently used goes first) and expiring on the sandbox's clock. */
export class PromptCache {
  private readonly entries = new Map<string, Entry[]>();
  private size = 0;

  constructor(private readonly options: { maxEntries?: number; ttlMs?: number } = {}) {}

  /** How many of `tokens` the cache serves; the prompt is then remembered for later requests. */
  lookup(model: string, tokens: number[], now: number): number {
    const ttl = this.options.ttlMs ?? CACHE_TTL_MS;
    const list = (this.entries.get(model) ?? []).filter((e) => now - e.usedAt <= ttl);
    this.size -= (this.entries.get(model)?.length ?? 0) - list.length;
    let best = 0;
    let bestEntry: Entry | null = null;
    for (const e of list) {
      const n = commonPrefix(e.tokens, tokens);
      if (n > best) [best, bestEntry] = [n, e];
    }
    if (bestEntry) bestEntry.usedAt = now;
    if (best === tokens.length && bestEntry) {
      // The same prompt again: keep one entry for it.
    } else {
      list.push({ tokens, usedAt: now });
      this.size++;
    }
    this.entries.set(model, list);
    this.evict();
    return best >= CACHE_MIN_TOKENS ? best - (best % CACHE_BLOCK_TOKENS) : 0;
  }

  clear(): void {
    this.entries.clear();
    this.size = 0;
  }

  private evict(): void {
    const max = this.options.maxEntries ?? MAX_ENTRIES;
    while (this.size > max) {
      let oldest: { model: string; index: number; usedAt: number } | null = null;
      for (const [model, list] of this.entries) {
        list.forEach((e, index) => {
          if (!oldest || e.usedAt < oldest.usedAt) oldest = { model, index, usedAt: e.usedAt };
        });
      }
      if (!oldest) return;
      const { model, index } = oldest as { model: string; index: number };
      this.entries.get(model)!.splice(index, 1);
      this.size--;
    }
  }
}

function commonPrefix(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
