/**
 * AI personalization of a campaign: many fans per request over one cached prompt prefix, with a
 * structured (JSON schema) reply that maps each fan to a message. Every request goes through the
 * orchestrator with the campaign and operator ids, so its cost lands on the campaign.
 *
 * A reply is checked item by item: a fan whose item is missing, duplicated, for an unknown slot,
 * empty, too long or holding a restricted word is retried alone (with the other bad fans of the
 * batch), a bounded number of times. Fans AI cannot serve — unreachable, over budget, refused,
 * still garbled after the retries — get the template instead, flagged with why.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type CampaignType, type CompletionRequest, type CompletionResult, type ModelClass, TEAM_BUDGET_DETAIL, type Usage } from '../../shared/ai';
import { checkText, normalizeWord } from '../../shared/restricted';
import { batchSchema, buildPrefix, buildUserPart, type GenerateFan, type Persona } from './generate-prompt';
import { renderTemplate } from '../../shared/template';

export type { GenerateFan, Persona } from './generate-prompt';

/**
 * Fans per request, picked by `npm run bench -- campaigns` (gpt-4o-mini, ~1.9k-token prefix): cost
 * against one call per fan is 0.234 at 10, 0.189 at 20, 0.169 at 40, 0.160 at 80. Past 40 the
 * output tokens (the same at any batch size) dominate, so doubling saves under 1 % more while a
 * bad reply or a slow request holds twice the fans.
 */
export const DEFAULT_BATCH_SIZE = 40;
export const MAX_BATCH_SIZE = 100;
const DEFAULT_RETRIES = 2;
const DEFAULT_CONCURRENCY = 4;
/** Output room per fan: a character is at least a quarter of a token, plus the item's JSON. */
const ITEM_OVERHEAD_TOKENS = 24;

export type FallbackReason = 'unreachable' | 'budget' | 'refused' | 'garbled' | 'team_budget';

export interface GeneratedMessage {
  fanId: string;
  /** 0-based variant index (A = 0). */
  variant: number;
  text: string;
  source: 'ai' | 'template';
  /** Why the template wrote it; null when AI did. */
  fallbackReason: FallbackReason | null;
}

export interface GenerateProgress {
  /** Fans with a message so far, from AI or the template. */
  done: number;
  total: number;
  fromTemplate: number;
  requests: number;
  costMicros: number;
}

export interface GenerateResult {
  /** One per fan that got a message, in the order the fans were given. */
  messages: GeneratedMessage[];
  requests: number;
  costMicros: number;
  usage: Usage;
  /** Why AI stopped serving this run, if it did; the campaign says so. */
  fallback: FallbackReason | null;
  /** The signal aborted: fans without a message are left for a later run. */
  aborted: boolean;
  /** `waitWhenUnreachable` and no provider answered: fans without a message are left for when one does. */
  unreachable: boolean;
}

export interface GenerateOptions {
  ai: { complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> };
  campaignId: string;
  campaignType: CampaignType;
  operatorId: string;
  persona: Persona;
  template: string;
  fans: readonly GenerateFan[];
  /** A/B: 1 (no test) to 4 variants; each fan gets one, deterministically. */
  variants?: number;
  batchSize?: number;
  /** Rounds of retry for a batch's bad fans before the template takes them. */
  retries?: number;
  /** Requests in flight once the first batch has warmed the cache. */
  concurrency?: number;
  modelClass?: ModelClass;
  signal?: AbortSignal;
  /**
   * When no provider answers, stop and leave the fans not yet served (the caller waits for the
   * network) instead of handing them all to the template at once.
   */
  waitWhenUnreachable?: boolean;
  onProgress?: (progress: GenerateProgress) => void;
  /** Each request answered (or not), with the variant it wrote for: a request serves one variant, so its cost is that variant's. */
  onRequest?: (request: { requestId: string; variant: number }) => void;
}

/** The variant a fan gets: the same fan in the same campaign always gets the same one. */
export function variantOf(campaignId: string, fanId: string, variants: number): number {
  if (variants <= 1) return 0;
  return createHash('sha256').update(`${campaignId}\u0000${fanId}`).digest().readUInt32BE(0) % variants;
}

/** n fans in batches of at most `size`, as even as possible, so at most two batch sizes (two schemas) exist. */
export function splitEvenly<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [];
  const count = Math.ceil(items.length / size);
  const base = Math.floor(items.length / count);
  const extra = items.length % count;
  const out: T[][] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = base + (i < extra ? 1 : 0);
    out.push(items.slice(at, at + n));
    at += n;
  }
  return out;
}

const replySchema = z.object({ messages: z.array(z.unknown()) });
const itemSchema = z.object({ slot: z.number().int(), text: z.string() });

/** Which of the batch's fans the reply served well, and which must be asked again. */
export function checkReply(text: string, fans: readonly GenerateFan[], persona: Persona): { good: Map<string, string>; bad: GenerateFan[] } {
  const good = new Map<string, string>();
  let items: unknown[];
  try {
    const parsed = replySchema.safeParse(JSON.parse(text));
    if (!parsed.success) return { good, bad: [...fans] };
    items = parsed.data.messages;
  } catch {
    return { good, bad: [...fans] };
  }
  const bySlot = new Map<number, string[]>();
  for (const raw of items) {
    const item = itemSchema.safeParse(raw);
    if (!item.success || item.data.slot < 1 || item.data.slot > fans.length) continue;
    const list = bySlot.get(item.data.slot) ?? [];
    list.push(item.data.text.trim());
    bySlot.set(item.data.slot, list);
  }
  const restricted = persona.restrictedWords.map(normalizeWord).filter((w) => w.length >= 2);
  const bad: GenerateFan[] = [];
  fans.forEach((fan, i) => {
    const texts = bySlot.get(i + 1);
    // A slot given twice: one of its texts was meant for another fan; neither can be trusted.
    const t = texts?.length === 1 ? texts[0]! : null;
    if (t && t.length <= persona.maxChars && checkText(t, restricted).ok) good.set(fan.id, t);
    else bad.push(fan);
  });
  return { good, bad };
}

interface Work {
  fans: GenerateFan[];
  variant: number;
  attempt: number;
}

function fallbackFor(result: CompletionResult): FallbackReason {
  if (result.error?.kind === 'budget_exceeded') return result.error.detail === TEAM_BUDGET_DETAIL ? 'team_budget' : 'budget';
  if (result.error?.kind === 'content_filter') return 'refused';
  return 'unreachable';
}

export async function generateMessages(options: GenerateOptions): Promise<GenerateResult> {
  const variants = Math.min(Math.max(Math.trunc(options.variants ?? 1), 1), 4);
  const batchSize = Math.min(Math.max(Math.trunc(options.batchSize ?? DEFAULT_BATCH_SIZE), 1), MAX_BATCH_SIZE);
  const retries = Math.max(0, options.retries ?? DEFAULT_RETRIES);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const { persona, signal } = options;
  const prefix = buildPrefix({ persona, template: options.template, campaignType: options.campaignType, variants });

  // A fan listed twice is one recipient.
  const fans = [...new Map(options.fans.map((f) => [f.id, f])).values()];
  const variantByFan = new Map(fans.map((f) => [f.id, variantOf(options.campaignId, f.id, variants)]));
  const queue: Work[] = [];
  for (let v = 0; v < variants; v++) {
    for (const batch of splitEvenly(fans.filter((f) => variantByFan.get(f.id) === v), batchSize)) queue.push({ fans: batch, variant: v, attempt: 0 });
  }

  const messages = new Map<string, GeneratedMessage>();
  const usage: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
  let requests = 0;
  let costMicros = 0;
  let fromTemplate = 0;
  let fallback: FallbackReason | null = null;
  let aborted = false;
  let unreachable = false;
  const stopped = () => aborted || unreachable;

  const fromTemplateFor = (batch: readonly GenerateFan[], reason: FallbackReason) => {
    for (const fan of batch) {
      const text = renderTemplate(options.template, { ...fan, creatorName: persona.creatorName });
      messages.set(fan.id, { fanId: fan.id, variant: variantByFan.get(fan.id)!, text, source: 'template', fallbackReason: reason });
      fromTemplate++;
    }
  };
  const progress = () => options.onProgress?.({ done: messages.size, total: fans.length, fromTemplate, requests, costMicros });

  async function run(work: Work): Promise<void> {
    if (unreachable) return;
    if (fallback) {
      fromTemplateFor(work.fans, fallback);
      return progress();
    }
    const request: CompletionRequest = {
      purpose: 'personalize',
      campaignType: options.campaignType,
      campaignId: options.campaignId,
      operatorId: options.operatorId,
      modelClass: options.modelClass ?? 'standard',
      stream: false,
      maxOutputTokens: Math.min(32_000, work.fans.length * (Math.ceil(persona.maxChars / 2) + ITEM_OVERHEAD_TOKENS)),
      messages: [
        { role: 'system', content: prefix },
        { role: 'user', content: buildUserPart(work.fans, work.variant, variants) },
      ],
      responseFormat: batchSchema(work.fans.length),
    };
    const result = await options.ai.complete(request, signal);
    options.onRequest?.({ requestId: result.requestId, variant: work.variant });
    requests++;
    costMicros += result.costMicros;
    usage.inputTokens += result.usage.inputTokens;
    usage.cachedInputTokens += result.usage.cachedInputTokens;
    usage.outputTokens += result.usage.outputTokens;
    if (signal?.aborted || result.error?.kind === 'cancelled') {
      aborted = true;
      return;
    }
    if (result.outcome !== 'ok') {
      const reason = fallbackFor(result);
      if (reason === 'unreachable' && options.waitWhenUnreachable) {
        unreachable = true;
        return;
      }
      // A refusal concerns this batch's content; unreachable and budget concern every batch after it.
      if (reason !== 'refused') fallback ??= reason;
      fromTemplateFor(work.fans, reason);
      return progress();
    }
    const { good, bad } = checkReply(result.text, work.fans, persona);
    for (const [fanId, text] of good) messages.set(fanId, { fanId, variant: work.variant, text, source: 'ai', fallbackReason: null });
    if (bad.length > 0) {
      if (work.attempt < retries) queue.push({ fans: bad, variant: work.variant, attempt: work.attempt + 1 });
      else fromTemplateFor(bad, 'garbled');
    }
    progress();
  }

  const worker = async () => {
    for (let work = queue.shift(); work; work = queue.shift()) {
      if (signal?.aborted) aborted = true;
      if (stopped()) return;
      await run(work);
    }
  };
  // The first batch alone: once it is answered the provider holds the prefix, and every batch after it reads it from cache.
  const first = queue.shift();
  if (first && !signal?.aborted) await run(first);
  else if (first) aborted = true;
  // Retries land on the queue while workers run; a worker that finds it empty ends, so loop until it stays empty.
  while (queue.length > 0 && !stopped()) {
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }

  return {
    messages: fans.flatMap((f) => messages.get(f.id) ?? []),
    requests,
    costMicros,
    usage,
    fallback,
    aborted,
    unreachable,
  };
}
