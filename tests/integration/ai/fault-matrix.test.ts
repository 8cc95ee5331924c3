import { describe, expect, it } from 'vitest';
import type { CompletionRequest, CompletionResult, ProviderId } from '../../../shared/ai';
import type { SandboxFault, SandboxTarget } from '../../../main/sandbox/server';
import { type AiRig, prompt, useAiRig } from '../../support/ai';

async function complete(rig: AiRig, request: CompletionRequest = prompt()): Promise<CompletionResult> {
  const result = await rig.services.registry.dispatch('ai.complete', request);
  if (!result.ok) throw new Error(`ai.complete failed: ${result.error.code}`);
  return result.value as CompletionResult;
}

const trail = (r: CompletionResult) => r.attempts.map((a) => [a.provider, a.status, a.outcome]);
const httpCount = (rig: AiRig, target: SandboxTarget) => rig.sandbox.requests().filter((q) => q.target === target).length;

/** Each orchestrator attempt is exactly one HTTP request: the SDK's own retries are off. */
function expectOneHttpPerAttempt(rig: AiRig, r: CompletionResult) {
  for (const target of ['azure', 'openai', 'local'] as const) {
    expect(httpCount(rig, target), target).toBe(r.attempts.filter((a) => a.provider === target).length);
  }
}

interface Case {
  fault: SandboxFault;
  times: number;
  stream?: boolean;
  /** attempts on the faulted provider, then who serves */
  expected: Array<[string | number | null, string]>;
  outcome: CompletionResult['outcome'];
  waits: number[];
}

// Full jitter: with random() = 0.5 the backoff before the 2nd try is 100 ms (uniform in [0, 200]).
const CASES: Record<string, Case> = {
  '429 with retry-after-ms, then recovers': { fault: { kind: 'rate_limit', retryAfterMs: 1500 }, times: 1, expected: [[429, 'rate_limited'], [200, 'ok']], outcome: 'ok', waits: [1500] },
  '429 with retry-after seconds, twice': { fault: { kind: 'rate_limit', retryAfterSeconds: 2 }, times: 2, expected: [[429, 'rate_limited'], [429, 'rate_limited']], outcome: 'ok', waits: [2000] },
  '500 twice': { fault: { kind: 'server_error' }, times: 2, expected: [[500, 'server_error'], [500, 'server_error']], outcome: 'ok', waits: [100] },
  '503 twice': { fault: { kind: 'unavailable' }, times: 2, expected: [[503, 'server_error'], [503, 'server_error']], outcome: 'ok', waits: [100] },
  'timeout twice': { fault: { kind: 'timeout' }, times: 2, expected: [[null, 'timeout'], [null, 'timeout']], outcome: 'ok', waits: [100] },
  'connection reset twice': { fault: { kind: 'reset' }, times: 2, expected: [[null, 'connection'], [null, 'connection']], outcome: 'ok', waits: [100] },
  '401 switches at once': { fault: { kind: 'unauthorized' }, times: 1, expected: [[401, 'unauthorized']], outcome: 'ok', waits: [] },
  'quota-exhausted 429 switches at once': { fault: { kind: 'quota' }, times: 1, expected: [[429, 'quota_exhausted']], outcome: 'ok', waits: [] },
  'stream dropped mid-way twice': { fault: { kind: 'stream_drop', afterChunks: 2 }, times: 2, stream: true, expected: [[200, 'stream_dropped'], [200, 'stream_dropped']], outcome: 'ok', waits: [100] },
  'content filter 400 is a typed refusal': { fault: { kind: 'content_filter' }, times: 1, expected: [[400, 'content_filter']], outcome: 'refused', waits: [] },
  'finish_reason content_filter is a typed refusal': { fault: { kind: 'content_filter_finish' }, times: 1, expected: [[200, 'content_filter']], outcome: 'refused', waits: [] },
};

describe('fault matrix: the real openai SDK against the sandbox server', () => {
  const startRig = useAiRig();
  let rig: AiRig | undefined;

  describe.each([
    // The faulted provider, the one expected to serve next, and what to do to the providers before it.
    { faulted: 'azure' as const, next: 'openai' as const, before: [] as ProviderId[] },
    { faulted: 'openai' as const, next: 'local' as const, before: ['azure'] as ProviderId[] },
  ])('on $faulted', ({ faulted, next, before }) => {
    it.each(Object.entries(CASES))('%s', async (_name, c) => {
      rig = await startRig();
      // Providers ahead of the faulted one refuse the key at once, so routing reaches it.
      for (const p of before) rig.sandbox.setStandingFault(p, { kind: 'unauthorized' });
      rig.sandbox.script(faulted, Array.from({ length: c.times }, () => c.fault));

      const r = await complete(rig, { ...prompt(), stream: c.stream ?? false });

      const lead = before.map((p) => [p, 401, 'unauthorized']);
      const onFaulted = c.expected.map(([status, outcome]) => [faulted, status, outcome]);
      const recovered = c.expected.at(-1)?.[1] === 'ok';
      const served = c.outcome === 'ok' && !recovered ? [[next, 200, 'ok']] : [];
      expect(trail(r)).toEqual([...lead, ...onFaulted, ...served]);
      expect(r.outcome).toBe(c.outcome);
      expect(r.provider).toBe(c.outcome === 'refused' ? faulted : recovered ? faulted : next);
      expect(r.servedByFallback).toBe(c.outcome === 'ok' && (before.length > 0 || !recovered));
      expect(rig.waits).toEqual(c.waits);
      expect(r.attempts.map((a) => a.waitedMs)).toEqual(r.attempts.map((_, i) => (i > 0 && r.attempts[i - 1]!.provider === r.attempts[i]!.provider ? c.waits[0]! : 0)));
      if (c.outcome === 'refused') expect(r.error).toMatchObject({ kind: 'content_filter', provider: faulted });
      expectOneHttpPerAttempt(rig, r);
    });
  });

  it('routes around a content-filter refusal only when the policy says so', async () => {
    rig = await startRig();
    const policy = (await rig.services.registry.dispatch('routing.get', {})) as { ok: true; value: object };
    await rig.services.registry.dispatch('routing.set', { ...policy.value, onContentFilter: 'fallback' });
    rig.sandbox.script('azure', [{ kind: 'content_filter' }]);
    const r = await complete(rig);
    expect(trail(r)).toEqual([['azure', 400, 'content_filter'], ['openai', 200, 'ok']]);
    expect(r.outcome).toBe('ok');
    expect(r.servedByFallback).toBe(true);
  });

  it.each([
    ['a 400 refusal', { kind: 'content_filter' } as const, false],
    ['a filtered finish', { kind: 'content_filter_finish' } as const, false],
    ['a filtered finish in a stream', { kind: 'content_filter_finish' } as const, true],
  ])('names the Azure filter category that fired in %s', async (_label, fault, stream) => {
    rig = await startRig();
    rig.sandbox.script('azure', [fault]);
    const r = await complete(rig, { ...prompt(), stream });
    expect(r.outcome).toBe('refused');
    expect(r.error?.detail).toContain('sexual (medium)');
    expect(r.error?.provider).toBe('azure');
  });

  it('fails with a clear error when every provider fails', async () => {
    rig = await startRig();
    for (const p of ['azure', 'openai', 'local'] as const) rig.sandbox.setStandingFault(p, { kind: 'unavailable' });
    const r = await complete(rig);
    expect(r.outcome).toBe('failed');
    expect(r.error?.kind).toBe('server_error');
    expect(r.error?.detail).toBeTruthy();
    expect(r.attempts).toHaveLength(6);
    expectOneHttpPerAttempt(rig, r);
  });

  it('moves on instead of waiting out a retry-after longer than the cap', async () => {
    rig = await startRig();
    rig.sandbox.script('azure', [{ kind: 'rate_limit', retryAfterSeconds: 3600 }]);
    const r = await complete(rig);
    expect(trail(r)).toEqual([['azure', 429, 'rate_limited'], ['openai', 200, 'ok']]);
    expect(rig.waits).toEqual([]);
  });

  it('says so when nothing is configured', async () => {
    rig = await startRig({ enable: [] });
    const r = await complete(rig);
    expect(r.outcome).toBe('failed');
    expect(r.error?.kind).toBe('not_configured');
    expect(r.skipped.map((s) => [s.provider, s.reason])).toEqual([['azure', 'disabled'], ['openai', 'disabled'], ['local', 'disabled']]);
    expect(rig.sandbox.requests()).toHaveLength(0);
  });
});
