import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CompletionResult } from '../../../shared/ai';
import type { Health } from '../../../shared/contract';
import { type AiRig, prompt, useAiRig } from '../../support/ai';

const HALF_OPEN_AFTER = 60_000;

describe('circuit breaker per provider (cockatiel)', () => {
  const startRig = useAiRig();
  let rig: AiRig | undefined;
  afterEach(() => {
    vi.useRealTimers();
  });

  const complete = async () => {
    const r = await rig!.services.registry.dispatch('ai.complete', prompt());
    return (r as { ok: true; value: CompletionResult }).value;
  };
  const health = async () => ((await rig!.services.registry.dispatch('health.get', {})) as { ok: true; value: Health }).value;
  const azureCircuit = async () => (await health()).providers.find((p) => p.provider === 'azure')!.circuit;

  it('opens after repeated faults, probes once when half-open, and closes on success', async () => {
    // cockatiel reads Date.now() for half-open timing: only Date is faked, sockets and timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    rig = await startRig({ breaker: { threshold: 3, halfOpenAfterMs: HALF_OPEN_AFTER } });
    const policy = (await rig.services.registry.dispatch('routing.get', {})) as { ok: true; value: object };
    await rig.services.registry.dispatch('routing.set', { ...policy.value, maxAttemptsPerProvider: 1 });

    rig.sandbox.setStandingFault('azure', { kind: 'server_error' });
    expect((await health()).status).toBe('ok');
    for (let i = 0; i < 3; i++) expect((await complete()).provider).toBe('openai');
    expect(await azureCircuit()).toBe('open');
    expect((await health()).status).toBe('degraded');

    // Open: Azure is passed over without a request.
    const before = rig.sandbox.requests().filter((q) => q.target === 'azure').length;
    const whileOpen = await complete();
    expect(whileOpen.skipped).toEqual([{ provider: 'azure', modelClass: 'premium', reason: 'circuit_open' }]);
    expect(whileOpen.attempts.map((a) => a.provider)).toEqual(['openai']);
    expect(whileOpen.servedByFallback).toBe(true);
    expect(rig.sandbox.requests().filter((q) => q.target === 'azure').length).toBe(before);

    // Half-open: one probe; it fails, so the circuit opens again.
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER + 1);
    const failedProbe = await complete();
    expect(failedProbe.attempts.map((a) => [a.provider, a.outcome])).toEqual([['azure', 'server_error'], ['openai', 'ok']]);
    expect(await azureCircuit()).toBe('open');

    // Half-open again; Azure has recovered, so the probe closes the circuit.
    rig.sandbox.setStandingFault('azure', null);
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER + 1);
    const probe = await complete();
    expect(probe.attempts.map((a) => [a.provider, a.outcome])).toEqual([['azure', 'ok']]);
    expect(probe.servedByFallback).toBe(false);
    expect(await azureCircuit()).toBe('closed');
    expect((await health()).status).toBe('ok');
  });

  it('does not count a content-filter refusal against the provider', async () => {
    rig = await startRig({ breaker: { threshold: 2, halfOpenAfterMs: HALF_OPEN_AFTER } });
    rig.sandbox.setStandingFault('azure', { kind: 'content_filter' });
    for (let i = 0; i < 3; i++) expect((await complete()).outcome).toBe('refused');
    expect(await azureCircuit()).toBe('closed');
  });

  it('reports attempts, errors, fallbacks and latency percentiles in metrics.orchestrator', async () => {
    rig = await startRig();
    rig.sandbox.script('azure', [{ kind: 'unauthorized' }]);
    await complete();
    await complete();
    const m = (await rig.services.registry.dispatch('metrics.orchestrator', {})) as {
      ok: true;
      value: { providers: Array<{ provider: string; requests: number; errors: number; fallbacks: number; p50Ms: number | null; costTodayMicros: number }>; costTodayMicros: number };
    };
    const azure = m.value.providers.find((p) => p.provider === 'azure')!;
    const openai = m.value.providers.find((p) => p.provider === 'openai')!;
    expect([azure.requests, azure.errors, azure.fallbacks]).toEqual([2, 1, 0]);
    expect([openai.requests, openai.errors, openai.fallbacks]).toEqual([1, 0, 1]);
    expect(azure.p50Ms).not.toBeNull();
    expect(openai.costTodayMicros).toBeGreaterThan(0);
    expect(m.value.costTodayMicros).toBe(m.value.providers.reduce((s, p) => s + p.costTodayMicros, 0));
  });
});
