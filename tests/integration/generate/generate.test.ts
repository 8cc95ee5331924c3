import { describe, expect, it } from 'vitest';
import { costMicros, PriceBook } from '../../../main/ai/pricing';
import { generateMessages, variantOf } from '../../../main/campaigns/generate';
import type { CampaignCosts } from '../../../shared/costs';
import { type AiRig, useAiRig } from '../../support/ai';
import { base, fans, recordingAi, TEMPLATE } from './support';

interface CostRow {
  campaign_id: string | null;
  operator_id: string | null;
  purpose: string;
  base_model: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cost_micros: number;
}

describe('personalization batched over a cached prefix (real sandbox provider, real SQLite)', () => {
  const startRig = useAiRig();
  const rows = (rig: AiRig) => rig.services.db.prepare('SELECT * FROM ai_costs ORDER BY ts, attempt').all() as CostRow[];

  it('gives 1 000 fans 1 000 distinct messages, each fan once, with the prefix cached from the second batch and the cost on the campaign', async () => {
    const rig = await startRig();
    const list = fans(1_000);
    const progress: number[] = [];
    const result = await generateMessages({ ...base(rig, list), batchSize: 40, onProgress: (p) => progress.push(p.done) });

    expect(result.aborted).toBe(false);
    expect(result.fallback).toBeNull();
    expect(result.messages.map((m) => m.fanId)).toEqual(list.map((f) => f.id));
    expect(result.messages.every((m) => m.source === 'ai' && m.text.length > 0)).toBe(true);
    expect(new Set(result.messages.map((m) => m.text)).size).toBe(1_000);
    expect(result.messages[0]!.text).toContain('Fan1!');
    expect(result.requests).toBe(25);
    expect(progress).toHaveLength(25);
    expect(progress.at(-1)).toBe(1_000);

    const ledger = rows(rig);
    expect(ledger).toHaveLength(25);
    expect(ledger.every((r) => r.campaign_id === 'cmp-gen-1' && r.operator_id === 'op-1' && r.purpose === 'personalize')).toBe(true);
    // The first batch writes the cache; every later one reads the whole prefix from it, in 128-token blocks.
    const [first, ...rest] = ledger;
    expect(first!.cached_input_tokens).toBe(0);
    for (const r of rest) {
      expect(r.cached_input_tokens).toBeGreaterThanOrEqual(1_024);
      expect(r.cached_input_tokens % 128).toBe(0);
      expect(r.cached_input_tokens).toBeLessThan(r.input_tokens);
    }
    // The ledger charged the cached part at the cached price: less than the same tokens uncached.
    const price = new PriceBook().lookup('azure', 'gpt-4o-mini', null, new Date());
    expect(price.cachedInputPerMtok).toBeLessThan(price.inputPerMtok);
    for (const r of rest) {
      const usage = { inputTokens: r.input_tokens, cachedInputTokens: r.cached_input_tokens, outputTokens: r.output_tokens };
      expect(r.cost_micros).toBe(costMicros(usage, price));
      expect(r.cost_micros).toBeLessThan(costMicros({ ...usage, cachedInputTokens: 0 }, price));
    }

    const sum = ledger.reduce((n, r) => n + r.cost_micros, 0);
    expect(result.costMicros).toBe(sum);
    rig.services.ai.ledger.flush();
    rig.services.ai.ledger.settle();
    const costs = await rig.services.registry.dispatch('campaigns.costs', { campaignId: 'cmp-gen-1' });
    expect(costs.ok).toBe(true);
    const value = (costs as { ok: true; value: CampaignCosts }).value;
    expect(value.total.micros).toBe(sum);
    expect(value.total.requests).toBe(25);
    expect(value.total.cachedInputTokens).toBe(rest.reduce((n, r) => n + r.cached_input_tokens, 0));
  });

  it.each([
    { fault: { kind: 'drop' as const, index: 2 }, retried: [2] },
    { fault: { kind: 'wrong_id' as const, index: 1 }, retried: [1] },
    { fault: { kind: 'empty_text' as const, index: 4 }, retried: [4] },
    // A slot given twice: that fan and the one whose slot went missing.
    { fault: { kind: 'duplicate' as const, index: 0 }, retried: [0, 1] },
    { fault: { kind: 'not_object' as const, index: 3 }, retried: [3] },
    { fault: { kind: 'not_json' as const }, retried: [0, 1, 2, 3, 4] },
  ])('detects a reply with $fault.kind and retries only the fans it concerns', async ({ fault, retried }) => {
    const rig = await startRig();
    const list = fans(10);
    const { ai, batches } = recordingAi(rig, list);
    rig.sandbox.script('azure', [{ kind: 'ok', reply: { structured: fault } }]);
    const result = await generateMessages({ ...base(rig, list), ai, batchSize: 5 });

    const ids = (indexes: number[]) => indexes.map((i) => list[i]!.id);
    expect(batches[0]).toEqual(ids([0, 1, 2, 3, 4]));
    // The retry and the second batch run side by side: compared as a set.
    const byFirst = (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!);
    expect(batches.slice(1).sort(byFirst)).toEqual([ids(retried), ids([5, 6, 7, 8, 9])].sort(byFirst));
    expect(result.requests).toBe(3);
    expect(result.messages.map((m) => m.fanId)).toEqual(list.map((f) => f.id));
    expect(result.messages.every((m) => m.source === 'ai' && m.text.length > 0)).toBe(true);
    expect(new Set(result.messages.map((m) => m.text)).size).toBe(10);
  });

  it('gives the template to a fan still garbled after the retries, and says why', async () => {
    const rig = await startRig();
    const list = fans(3);
    const { ai, batches } = recordingAi(rig, list);
    const drop = { kind: 'ok' as const, reply: { structured: { kind: 'drop' as const, index: 0 } } };
    rig.sandbox.script('azure', [drop, drop, drop]);
    const result = await generateMessages({ ...base(rig, list), ai, retries: 2 });

    expect(batches).toEqual([list.map((f) => f.id), [list[0]!.id], [list[0]!.id]]);
    expect(result.messages[0]).toEqual({ fanId: list[0]!.id, variant: 0, text: 'Hey Fan1, a new set just dropped, come see it!', source: 'template', fallbackReason: 'garbled' });
    expect(result.messages.slice(1).every((m) => m.source === 'ai')).toBe(true);
  });

  it('renders every message from the template, flagged, when the provider is unreachable', async () => {
    const rig = await startRig();
    await rig.sandbox.close();
    const list = fans(120);
    const result = await generateMessages({ ...base(rig, list), batchSize: 40 });

    expect(result.fallback).toBe('unreachable');
    // The first batch found every provider down; the others did not knock again.
    expect(result.requests).toBe(1);
    expect(result.messages).toHaveLength(120);
    expect(result.messages.every((m) => m.source === 'template' && m.fallbackReason === 'unreachable')).toBe(true);
    expect(result.messages[7]!.text).toBe(TEMPLATE.replace('{firstName|babe}', 'Fan8'));
    expect(rows(rig)).toHaveLength(0);
  });

  it('renders from the template when the campaign is over its budget, sending nothing', async () => {
    const rig = await startRig();
    const set = await rig.services.registry.dispatch('costs.setThresholds', {
      thresholds: [{ id: 't1', scope: 'campaign', target: 'cmp-gen-1', period: 'day', amountMicros: 1, levels: [50, 80, 100], hardStop: 'refuse' }],
    });
    expect(set.ok).toBe(true);
    const result = await generateMessages({ ...base(rig, fans(50)), batchSize: 25 });

    expect(result.fallback).toBe('budget');
    expect(result.messages.every((m) => m.source === 'template' && m.fallbackReason === 'budget')).toBe(true);
    expect(rig.sandbox.requests()).toHaveLength(0);
  });

  it('assigns A/B variants deterministically and writes each batch in one variant', async () => {
    const rig = await startRig();
    const list = fans(60);
    const { ai } = recordingAi(rig, list);
    const variantsSeen: string[] = [];
    const recording: typeof ai = {
      complete(request, signal) {
        variantsSeen.push(/^Variant ([A-D])\./m.exec(request.messages[1]!.content)?.[1] ?? '?');
        return ai.complete(request, signal);
      },
    };
    const result = await generateMessages({ ...base(rig, list), ai: recording, variants: 2, batchSize: 20 });

    const counts = [0, 0];
    for (const m of result.messages) {
      expect(m.variant).toBe(variantOf('cmp-gen-1', m.fanId, 2));
      counts[m.variant]!++;
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);
    expect(new Set(variantsSeen)).toEqual(new Set(['A', 'B']));
    expect(result.messages.map((m) => m.fanId)).toEqual(list.map((f) => f.id));
  });

  it('stops when aborted, leaving the fans it did not reach without a message', async () => {
    const rig = await startRig();
    const list = fans(100);
    const controller = new AbortController();
    const result = await generateMessages({ ...base(rig, list), batchSize: 20, onProgress: () => controller.abort(), signal: controller.signal });

    expect(result.aborted).toBe(true);
    expect(result.requests).toBe(1);
    expect(result.messages.map((m) => m.fanId)).toEqual(list.slice(0, 20).map((f) => f.id));
  });
});
