/**
 * A campaign's preview: its first fans with the template rendered for each, and for AI modes a
 * cost estimate for the whole audience. No AI call and no network: it works on a draft offline.
 *
 * The estimate follows what `generateMessages` will send. The audience is split per A/B variant
 * (a hash, so evenly in expectation), each share into even batches of DEFAULT_BATCH_SIZE. Each
 * request's input is the cached prefix (the batch's JSON schema, then the system message) plus
 * its user part; the prefix and a sample of fan lines are tokenized with the orchestrator's
 * tokenizer (o200k_base). The first request of each batch size pays the full prefix; the later ones
 * read it from cache when it reaches 1 024 tokens, in 128-token blocks, as OpenAI bills it. Output
 * per fan is the sampled fans' rendered template in tokens plus the item's JSON. Priced by the
 * price table (main/ai/pricing.ts) at the model the routing would pick first. Retries are not counted.
 */
import type { CompletionRequest } from '../../shared/ai';
import type { CampaignPreview, CostEstimate } from '../../shared/campaigns';
import { renderTemplate } from '../../shared/template';
import type { Audiences } from '../audiences';
import type { Db } from '../db/open';
import { costMicros, type Price } from '../ai/pricing';
import { estimatePromptTokens, estimateTextTokens } from '../ai/tokens';
import type { Clock } from '../ports/clock';
import { generateFan, personaFor, target, templateFan } from './campaign-fans';
import { DEFAULT_BATCH_SIZE, splitEvenly } from './generate';
import { batchSchema, buildPrefix, buildUserPart, fanLine } from './generate-prompt';
import type { Personas } from './personas';
import type { CampaignStore } from './store';

/** Fans whose lines and messages stand for the audience's average. */
const SAMPLE = 20;
/** `{"slot":12,"text":""},` and the reply's frame, per fan. */
const ITEM_JSON_TOKENS = 12;
const CACHE_MIN_TOKENS = 1_024;
const CACHE_BLOCK_TOKENS = 128;

export interface PreviewDeps {
  db: Db;
  clock: Clock;
  store: CampaignStore;
  personas: Personas;
  audiences: Audiences;
  /** The price of the model a request would go to first; null when none resolves. */
  price: (request: CompletionRequest) => Price | null;
}

export async function previewCampaign(deps: PreviewDeps, id: string, limit: number): Promise<CampaignPreview> {
  const c = deps.store.get(id);
  const { accountId, audience } = target(c);
  const now = deps.clock.now();
  const persona = personaFor(deps.db, deps.personas, accountId);
  const total = deps.audiences.count(accountId, audience);
  const sample = deps.audiences.list(accountId, audience, { limit: Math.max(limit, SAMPLE) }).fans;
  const rendered = sample.map((f) => ({ fanId: f.fanId, fanName: f.displayName ?? f.name, text: renderTemplate(c.template, templateFan(f, now, persona.creatorName)) }));
  const items = rendered.slice(0, limit);
  if (c.personalization === 'template' || total === 0) return { total, items, estimate: null };

  const variants = c.personalization === 'ai_variants' ? c.variants : 1;
  const prefix = buildPrefix({ persona, template: c.template, campaignType: c.type, variants });
  const lines = sample.map((f, i) => fanLine(i + 1, generateFan(f, now)));
  const perLine = lines.length === 0 ? 0 : (await estimateTextTokens(lines.join('\n'))) / lines.length;
  const perMessage = rendered.length === 0 ? 0 : (await estimateTextTokens(rendered.map((r) => r.text).join('\n'))) / rendered.length;

  const sizes: Array<{ size: number; variant: number }> = [];
  for (let v = 0; v < variants; v++) {
    const share = Math.floor(total / variants) + (v < total % variants ? 1 : 0);
    for (const batch of splitEvenly(Array.from({ length: share }), DEFAULT_BATCH_SIZE)) sizes.push({ size: batch.length, variant: v });
  }
  const systemTokens = await estimatePromptTokens([{ role: 'system', content: prefix }]);
  // At most two batch sizes and four variants: tokenize each shape once, not once per request.
  const shapes = new Map<string, { head: number; schema: number }>();
  const shape = async (size: number, variant: number) => {
    const key = `${size}:${variant}`;
    let s = shapes.get(key);
    if (!s) {
      const messages = [{ role: 'system' as const, content: prefix }, { role: 'user' as const, content: buildUserPart([], variant, variants) }];
      s = { head: await estimatePromptTokens(messages), schema: await estimateTextTokens(JSON.stringify(batchSchema(size).schema)) };
      shapes.set(key, s);
    }
    return s;
  };
  const warmed = new Set<number>();
  const estimate: Omit<CostEstimate, 'costMicros' | 'priced'> = { requests: sizes.length, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
  for (const { size, variant } of sizes) {
    const { head, schema } = await shape(size, variant);
    const prefixTokens = systemTokens + schema;
    // The first request of each size writes the cache (its schema is part of the prefix); the rest read it.
    if (warmed.has(size) && prefixTokens >= CACHE_MIN_TOKENS) estimate.cachedInputTokens += prefixTokens - (prefixTokens % CACHE_BLOCK_TOKENS);
    warmed.add(size);
    estimate.inputTokens += Math.ceil(head + schema + size * perLine);
    estimate.outputTokens += Math.ceil(size * (perMessage + ITEM_JSON_TOKENS));
  }
  const price = deps.price(probeRequest(c.id, prefix));
  const priced = price !== null && (price.inputPerMtok > 0 || price.outputPerMtok > 0);
  return { total, items, estimate: { ...estimate, costMicros: price ? costMicros(estimate, price) : 0, priced } };
}

/** The request shape routing decides on: the purpose and class the generator uses. */
function probeRequest(campaignId: string, prefix: string): CompletionRequest {
  return { purpose: 'personalize', campaignId, modelClass: 'standard', stream: false, maxOutputTokens: 1, messages: [{ role: 'system', content: prefix }] };
}
