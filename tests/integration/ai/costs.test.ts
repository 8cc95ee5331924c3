import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import type { CompletionResult, ProviderConfig } from '../../../shared/ai';
import { costMicros, PriceBook } from '../../../main/ai/pricing';
import { type AiRig, configsFor, prompt, useAiRig } from '../../support/ai';

/** What the price table says, computed here by the library itself (floats), in micro-dollars. */
function tableMicros(provider: 'azure' | 'openai', model: string, u: { input: number; cached: number; output: number }): number {
  const calc = calcPrice({ input_tokens: u.input, cache_read_tokens: u.cached, output_tokens: u.output }, model, { providerId: provider });
  if (!calc) throw new Error(`no price for ${provider}/${model}`);
  return Math.round(calc.total_price * 1_000_000);
}

interface Row {
  provider: string;
  deployment: string;
  base_model: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  price_source: string;
  status: string;
}

describe('cost truth', () => {
  const startRig = useAiRig();
  let rig: AiRig | undefined;

  const complete = async (request = prompt()) => {
    const r = await rig!.services.registry.dispatch('ai.complete', request);
    return (r as { ok: true; value: CompletionResult }).value;
  };
  const rows = () => rig!.services.db.prepare('SELECT * FROM ai_costs ORDER BY ts, attempt').all() as Row[];

  it.each([
    { name: 'Azure deployment priced by its base model, cached tokens at the cached price', modelClass: 'premium' as const, stream: false, usage: { input: 1834, cached: 1024, output: 311 }, provider: 'azure' as const, model: 'gpt-4o', deployment: 'prod-chat-eu' },
    { name: 'streamed, usage taken from the final chunk', modelClass: 'premium' as const, stream: true, usage: { input: 2301, cached: 1280, output: 97 }, provider: 'azure' as const, model: 'gpt-4o', deployment: 'prod-chat-eu' },
    { name: 'an Azure class deployment whose name is not a model name', modelClass: 'standard' as const, stream: false, usage: { input: 40_000, cached: 0, output: 1203 }, provider: 'azure' as const, model: 'gpt-4o-mini', deployment: 'cheap-chat' },
  ])('$name', async ({ modelClass, stream, usage, provider, model, deployment }) => {
    rig = await startRig();
    rig.sandbox.script('azure', [{ kind: 'ok', reply: { usage: { promptTokens: usage.input, cachedTokens: usage.cached, completionTokens: usage.output } } }]);
    const r = await complete({ ...prompt(), modelClass, stream });
    const expected = tableMicros(provider, model, usage);
    expect(expected).toBeGreaterThan(0);
    expect(r.costMicros).toBe(expected);
    expect(r.usage).toEqual({ inputTokens: usage.input, cachedInputTokens: usage.cached, outputTokens: usage.output });
    expect([r.deployment, r.baseModel]).toEqual([deployment, model]);
    expect(rows()).toEqual([expect.objectContaining({ provider, deployment, base_model: model, cost_micros: expected, price_source: 'table', status: 'ok', cached_input_tokens: usage.cached })]);
  });

  it('prices Azure and OpenAI from their own tables', () => {
    const book = new PriceBook();
    const at = new Date('2026-11-01T00:00:00Z');
    expect(book.lookup('azure', 'gpt-4o-mini', null, at).source).toBe('table');
    expect(book.lookup('openai', 'gpt-4o-mini', null, at).source).toBe('table');
    expect(book.lookup('local', 'llama3.1', null, at)).toMatchObject({ source: 'unpriced', inputPerMtok: 0 });
    expect(book.lookup('azure', 'no-such-model-xyz', null, at).source).toBe('unpriced');
  });

  it('uses a per-deployment price override', async () => {
    rig = await startRig();
    const config: ProviderConfig = {
      ...configsFor(rig.sandbox).azure,
      classModels: { standard: { deployment: 'ptu-mini', baseModel: 'gpt-4o-mini', priceOverride: { inputPerMtok: 100_000, cachedInputPerMtok: 25_000, outputPerMtok: 400_000 } } },
    };
    expect((await rig.services.registry.dispatch('providers.update', { provider: 'azure', config })).ok).toBe(true);
    rig.sandbox.script('azure', [{ kind: 'ok', reply: { usage: { promptTokens: 10_000, cachedTokens: 4_000, completionTokens: 2_500 } } }]);
    const r = await complete({ ...prompt(), modelClass: 'standard' });
    // 6000 × $0.10/M + 4000 × $0.025/M + 2500 × $0.40/M = 600 + 100 + 1000 µ$
    expect(r.costMicros).toBe(1_700);
    expect(rows()[0]).toMatchObject({ deployment: 'ptu-mini', price_source: 'override', cost_micros: 1_700 });
  });

  it('charges every attempt that consumed tokens, and a dropped stream by estimate', async () => {
    rig = await startRig();
    rig.sandbox.script('azure', [{ kind: 'content_filter_finish' }]);
    const refused = await complete();
    expect(refused.outcome).toBe('refused');
    expect(refused.costMicros).toBeGreaterThan(0);

    rig.sandbox.script('azure', [{ kind: 'stream_drop', afterChunks: 2 }, { kind: 'ok' }]);
    const recovered = await complete({ ...prompt(), stream: true });
    expect(recovered.attempts.map((a) => a.outcome)).toEqual(['stream_dropped', 'ok']);
    expect(recovered.attempts[0]!.costMicros).toBeGreaterThan(0);
    expect(recovered.costMicros).toBe(recovered.attempts[0]!.costMicros + recovered.attempts[1]!.costMicros);

    rig.sandbox.script('azure', [{ kind: 'server_error' }, { kind: 'ok' }]);
    const retried = await complete();
    expect(retried.attempts.map((a) => a.costMicros > 0)).toEqual([false, true]);

    expect(rows().map((r) => r.status)).toEqual(['content_filter', 'stream_dropped', 'ok', 'ok']);
  });

  it('rolls every cost row up by day and month, and announces it in the outbox', async () => {
    rig = await startRig();
    for (let i = 0; i < 3; i++) await complete({ ...prompt(), campaignId: 'cmp-1', operatorId: 'op-7' });
    const db = rig.services.db;
    // The rollups trail the ledger; every reader settles them first.
    rig.services.ai.ledger.settle();
    const ledgerTotal = (db.prepare('SELECT SUM(cost_micros) AS s, COUNT(*) AS n FROM ai_costs').get() as { s: number; n: number });
    for (const table of ['cost_day_all', 'cost_month_all']) {
      const roll = db.prepare(`SELECT SUM(cost_micros) AS s, SUM(requests) AS n, MIN(campaign_id) AS c, MIN(operator_id) AS o FROM ${table}`).get();
      expect(roll).toEqual({ s: ledgerTotal.s, n: 3, c: 'cmp-1', o: 'op-7' });
    }
    expect(db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE topic = 'ai_cost'").get()).toEqual({ n: ledgerTotal.n });
  });

  it('rounds to the nearest micro-dollar, in integers', () => {
    const price = { inputPerMtok: 2_500_000, cachedInputPerMtok: 1_250_000, outputPerMtok: 10_000_000 };
    expect(costMicros({ inputTokens: 1, cachedInputTokens: 0, outputTokens: 0 }, price)).toBe(3); // 2.5 → 3
    expect(costMicros({ inputTokens: 1, cachedInputTokens: 1, outputTokens: 0 }, price)).toBe(1); // 1.25 → 1
    expect(costMicros({ inputTokens: 1_000_000, cachedInputTokens: 200_000, outputTokens: 1_000_000 }, price)).toBe(12_250_000);
    expect(Number.isInteger(costMicros({ inputTokens: 7, cachedInputTokens: 3, outputTokens: 11 }, price))).toBe(true);
  });
});
