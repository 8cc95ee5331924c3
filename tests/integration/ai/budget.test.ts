import { describe, expect, it } from 'vitest';
import type { CompletionRequest, CompletionResult } from '../../../shared/ai';
import type { BudgetThreshold } from '../../../shared/budgets';
import { type AiRig, configsFor, prompt, useAiRig } from '../../support/ai';

/** The orchestrator's pre-flight reads the one budget model (costs.setThresholds), not the routing policy. */
describe('budget pre-flight', () => {
  const startRig = useAiRig();
  let rig: AiRig | undefined;

  const threshold = (t: Partial<BudgetThreshold>): BudgetThreshold => ({
    id: 't1',
    scope: 'global',
    target: null,
    period: 'day',
    amountMicros: 1_000,
    levels: [50, 80, 100],
    hardStop: 'refuse',
    ...t,
  });
  async function withThresholds(...thresholds: Partial<BudgetThreshold>[]) {
    const set = await rig!.services.registry.dispatch('costs.setThresholds', { thresholds: thresholds.map((t, i) => threshold({ id: `t${i}`, ...t })) });
    expect(set.ok).toBe(true);
  }
  const complete = async (maxOutputTokens = 120, extra: Partial<CompletionRequest> = {}) => {
    const r = await rig!.services.registry.dispatch('ai.complete', { ...prompt(), maxOutputTokens, ...extra });
    return (r as { ok: true; value: CompletionResult }).value;
  };

  // 120 output tokens of gpt-4o cost 1 200 µ$ at $10/M: over a 1 000 µ$ day, while gpt-4o-mini's 72 µ$ fit.
  it('refuses a request that would cross the hard daily budget, sending nothing', async () => {
    rig = await startRig();
    await withThresholds({ hardStop: 'refuse' });
    const r = await complete();
    expect(r.outcome).toBe('refused');
    expect(r.error?.kind).toBe('budget_exceeded');
    expect(r.attempts).toEqual([]);
    expect(rig.sandbox.requests()).toHaveLength(0);
  });

  it('downgrades to a route that fits when the threshold says so', async () => {
    rig = await startRig();
    await withThresholds({ hardStop: 'downgrade' });
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
    await withThresholds({ amountMicros: first.costMicros + 10, hardStop: 'refuse' });
    expect((await complete(20)).error?.kind).toBe('budget_exceeded');
  });

  it('ignores a threshold without a hard stop: it only alerts', async () => {
    rig = await startRig();
    await withThresholds({ hardStop: 'none' });
    const r = await complete();
    expect(r.outcome).toBe('ok');
    expect(r.provider).toBe('azure');
  });

  it('applies a provider threshold to that provider’s steps only: refused there, served by the next', async () => {
    rig = await startRig();
    await withThresholds({ scope: 'provider', target: 'azure', hardStop: 'refuse' });
    const r = await complete();
    expect(r.outcome).toBe('ok');
    expect(r.provider).toBe('openai');
    expect(r.downgraded).toBe(false);
    expect(r.skipped).toContainEqual({ provider: 'azure', modelClass: 'premium', reason: 'budget' });
    expect(rig.sandbox.requests().map((q) => q.target)).toEqual(['openai']);
  });

  it('downgrades a provider to its economy class under its own downgrade threshold', async () => {
    rig = await startRig();
    const configs = configsFor(rig.sandbox);
    const azure = { ...configs.azure, classModels: { ...configs.azure.classModels, economy: { deployment: 'cheap-chat', baseModel: 'gpt-4o-mini' } } };
    expect((await rig.services.registry.dispatch('providers.update', { provider: 'azure', config: azure })).ok).toBe(true);
    await withThresholds({ scope: 'provider', target: 'azure', hardStop: 'downgrade' });
    const r = await complete();
    expect(r.outcome).toBe('ok');
    expect(r.provider).toBe('azure');
    expect(r.deployment).toBe('cheap-chat');
    expect(r.downgraded).toBe(true);
    // An OpenAI-only budget leaves Azure at the class asked for.
    await withThresholds({ scope: 'provider', target: 'openai', amountMicros: 50, hardStop: 'downgrade' });
    const other = await complete();
    expect(other.provider).toBe('azure');
    expect(other.baseModel).toBe('gpt-4o');
  });

  it('applies a campaign threshold to that campaign’s requests only', async () => {
    rig = await startRig();
    await withThresholds({ scope: 'campaign', target: 'camp-1', hardStop: 'refuse' });
    const refused = await complete(120, { campaignId: 'camp-1' });
    expect(refused.outcome).toBe('refused');
    expect(refused.error?.kind).toBe('budget_exceeded');
    const other = await complete(120, { campaignId: 'camp-2' });
    expect(other.outcome).toBe('ok');
    expect(other.provider).toBe('azure');
  });

  it('downgrades a campaign’s requests under its downgrade threshold', async () => {
    rig = await startRig();
    await withThresholds({ scope: 'campaign', target: 'camp-1', hardStop: 'downgrade' });
    const r = await complete(120, { campaignId: 'camp-1' });
    expect(r.outcome).toBe('ok');
    expect(r.downgraded).toBe(true);
    expect(r.baseModel).toBe('gpt-4o-mini');
  });

  it('rejects a routing policy that is not valid, keeping the old one', async () => {
    rig = await startRig();
    const bad = await rig.services.registry.dispatch('routing.set', { routes: {}, maxAttemptsPerProvider: 0 });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect((await complete()).outcome).toBe('ok');
  });

  it('no longer takes a budget in the routing policy: there is one place to configure it', async () => {
    rig = await startRig();
    const current = (await rig.services.registry.dispatch('routing.get', {})) as { ok: true; value: Record<string, unknown> };
    expect(current.value).not.toHaveProperty('budget');
    const withBudget = await rig.services.registry.dispatch('routing.set', {
      ...current.value,
      budget: { dailyHardLimitMicros: 1, monthlyHardLimitMicros: null, warningRatio: 0.8, onExceed: 'refuse' },
    });
    expect(withBudget).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
  });
});
