import { describe, expect, it } from 'vitest';
import type { CompletionResult, RoutingPolicy } from '../../../shared/ai';
import { type AiRig, prompt, useAiRig } from '../../support/ai';

describe('budget pre-flight', () => {
  const startRig = useAiRig();
  let rig: AiRig | undefined;

  async function withBudget(budget: Partial<RoutingPolicy['budget']>) {
    const current = (await rig!.services.registry.dispatch('routing.get', {})) as { ok: true; value: RoutingPolicy };
    const set = await rig!.services.registry.dispatch('routing.set', { ...current.value, budget: { ...current.value.budget, ...budget } });
    expect(set.ok).toBe(true);
  }
  const complete = async (maxOutputTokens = 120) => {
    const r = await rig!.services.registry.dispatch('ai.complete', { ...prompt(), maxOutputTokens });
    return (r as { ok: true; value: CompletionResult }).value;
  };

  // 120 output tokens of gpt-4o cost 1 200 µ$ at $10/M: over a 1 000 µ$ day, while gpt-4o-mini's 72 µ$ fit.
  it('refuses a request that would cross the hard daily budget, sending nothing', async () => {
    rig = await startRig();
    await withBudget({ dailyHardLimitMicros: 1_000, onExceed: 'refuse' });
    const r = await complete();
    expect(r.outcome).toBe('refused');
    expect(r.error?.kind).toBe('budget_exceeded');
    expect(r.attempts).toEqual([]);
    expect(rig.sandbox.requests()).toHaveLength(0);
  });

  it('downgrades to a route that fits when the policy says so', async () => {
    rig = await startRig();
    await withBudget({ dailyHardLimitMicros: 1_000, onExceed: 'downgrade' });
    const r = await complete();
    expect(r.outcome).toBe('ok');
    expect(r.downgraded).toBe(true);
    expect(r.provider).toBe('openai');
    expect(r.baseModel).toBe('gpt-4o-mini');
    expect(r.skipped).toContainEqual({ provider: 'azure', modelClass: 'economy', reason: 'budget' });
    expect(rig.sandbox.requests().map((q) => q.target)).toEqual(['openai']);
  });

  it('counts what was already spent today', async () => {
    rig = await startRig();
    const first = await complete(20);
    expect(first.outcome).toBe('ok');
    await withBudget({ dailyHardLimitMicros: first.costMicros + 10, onExceed: 'refuse' });
    expect((await complete(20)).error?.kind).toBe('budget_exceeded');
  });

  it('rejects a policy that is not valid, keeping the old one', async () => {
    rig = await startRig();
    const bad = await rig.services.registry.dispatch('routing.set', { routes: {}, maxAttemptsPerProvider: 0 });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect((await complete()).outcome).toBe('ok');
  });
});
