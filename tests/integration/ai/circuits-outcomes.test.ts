import { describe, expect, it } from 'vitest';
import type { CompletionRequest, CompletionResult, ProviderHealth } from '../../../shared/ai';
import type { EventName, Health } from '../../../shared/contract';
import { type AiRig, prompt, useAiRig } from '../../support/ai';

const HALF_OPEN_AFTER = 45_000;

type Ok<T> = { ok: true; value: T };

describe('circuits and outcomes through the contract', () => {
  const startRig = useAiRig();

  const complete = async (rig: AiRig, request: CompletionRequest = prompt()) =>
    ((await rig.services.registry.dispatch('ai.complete', request)) as Ok<CompletionResult>).value;
  const row = async (rig: AiRig, provider: string) =>
    ((await rig.services.registry.dispatch('health.get', {})) as Ok<Health>).value.providers.find((p) => p.provider === provider)!;
  const heard = (rig: AiRig) => {
    const events: Array<{ name: EventName; payload: unknown }> = [];
    rig.services.events.subscribe((name, payload) => events.push({ name, payload }));
    return events;
  };

  it('names each provider’s failure, its HTTP status and its tries when every route fails', async () => {
    const rig = await startRig();
    rig.sandbox.setStandingFault('azure', { kind: 'unauthorized' });
    rig.sandbox.setStandingFault('openai', { kind: 'unavailable' });
    rig.sandbox.setStandingFault('local', { kind: 'reset' });
    const r = await complete(rig);
    expect(r.outcome).toBe('failed');
    expect(r.failures).toEqual([
      { provider: 'azure', kind: 'unauthorized', status: 401, tries: 1 },
      { provider: 'openai', kind: 'server_error', status: 503, tries: 2 },
      { provider: 'local', kind: 'connection', status: null, tries: 2 },
    ]);
    // A served request carries none.
    rig.sandbox.reset();
    expect((await complete(rig)).failures).toEqual([]);
  });

  it('lists a provider passed over without a request with why, and no tries', async () => {
    const rig = await startRig({ enable: ['azure', 'openai'], breaker: { threshold: 1, halfOpenAfterMs: HALF_OPEN_AFTER } });
    rig.sandbox.setStandingFault('azure', { kind: 'server_error' });
    rig.sandbox.setStandingFault('openai', { kind: 'server_error' });
    await complete(rig);
    const r = await complete(rig);
    expect(r.failures).toEqual([
      { provider: 'azure', kind: 'circuit_open', status: null, tries: 0 },
      { provider: 'openai', kind: 'circuit_open', status: null, tries: 0 },
      { provider: 'local', kind: 'disabled', status: null, tries: 0 },
    ]);
  });

  it('says when a Premium request was served by a cheaper class, and not otherwise', async () => {
    const rig = await startRig();
    const direct = await complete(rig);
    expect([direct.requestedClass, direct.servedClass, direct.provider]).toEqual(['premium', 'premium', 'azure']);
    rig.sandbox.script('azure', [{ kind: 'unauthorized' }]);
    const fallback = await complete(rig);
    expect([fallback.requestedClass, fallback.servedClass, fallback.provider]).toEqual(['premium', 'standard', 'openai']);
  });

  it('labels a reply the content filter cut mid-stream as partial, keeping what came', async () => {
    const rig = await startRig();
    rig.sandbox.script('azure', [{ kind: 'content_filter_finish' }]);
    const r = await complete(rig, { ...prompt(), stream: true });
    expect(r.outcome).toBe('refused');
    expect(r.partial).toBe(true);
    expect(r.text.length).toBeGreaterThan(0);
    // A prompt refused before any reply is not partial.
    rig.sandbox.script('azure', [{ kind: 'content_filter' }]);
    const refused = await complete(rig, { ...prompt(), stream: true });
    expect([refused.outcome, refused.partial, refused.text]).toEqual(['refused', false, '']);
  });

  it('shows an open circuit with the core’s times, and records who reset it', async () => {
    const rig = await startRig({ breaker: { threshold: 2, halfOpenAfterMs: HALF_OPEN_AFTER } });
    await rig.services.registry.dispatch('settings.update', { operatorName: 'Camille' });
    const events = heard(rig);
    rig.sandbox.setStandingFault('azure', { kind: 'server_error' });
    const before = Date.now();
    await complete(rig);
    const after = Date.now();
    const open: ProviderHealth = await row(rig, 'azure');
    expect(open.circuit).toBe('open');
    expect(open.openedAt).toBeGreaterThanOrEqual(before);
    expect(open.openedAt).toBeLessThanOrEqual(after);
    expect(open.nextProbeAt! - open.openedAt!).toBe(HALF_OPEN_AFTER);
    expect(open.readAt).toBeGreaterThanOrEqual(open.openedAt!);
    expect(open.lastError?.kind).toBe('server_error');
    expect(open.lastReset).toBeNull();
    expect(events).toContainEqual({ name: 'circuits.changed', payload: { provider: 'azure', state: 'open' } });

    const reset = (await rig.services.registry.dispatch('circuits.reset', { provider: 'azure' })) as Ok<ProviderHealth>;
    expect(reset.ok).toBe(true);
    expect(reset.value.circuit).toBe('closed');
    expect([reset.value.openedAt, reset.value.nextProbeAt]).toEqual([null, null]);
    expect(reset.value.lastReset?.by).toBe('Camille');
    expect(reset.value.lastReset!.at).toBeGreaterThanOrEqual(after);
    expect((await row(rig, 'azure')).lastReset).toEqual(reset.value.lastReset);
    expect(events).toContainEqual({ name: 'circuits.changed', payload: { provider: 'azure', state: 'closed' } });
    const audit = rig.logger.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'ai: circuit reset by the operator');
    expect(audit).toMatchObject({ provider: 'azure', by: 'Camille', before: 'open' });

    // Closed again, so the fault the operator picked happens on the very next request.
    rig.sandbox.setStandingFault('azure', { kind: 'unauthorized' });
    const next = await complete(rig);
    expect(next.attempts[0]).toMatchObject({ provider: 'azure', outcome: 'unauthorized', status: 401 });
  });

  it('refuses a reset for a provider it does not know', async () => {
    const rig = await startRig();
    const r = await rig.services.registry.dispatch('circuits.reset', { provider: 'bedrock' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
  });

  it('streams the reply as ai.delta events under the sender’s id, in order, before the result', async () => {
    const rig = await startRig();
    const events = heard(rig);
    rig.sandbox.script('azure', [{ kind: 'slow_stream', everyMs: 120 }]);
    const streamId = 'pg-0123456789abcdef';
    const r = await complete(rig, { ...prompt('one two three four five six seven eight'), stream: true, streamId });
    expect(r.outcome).toBe('ok');
    const deltas = events.filter((e) => e.name === 'ai.delta').map((e) => e.payload as { streamId: string; attempt: number; text: string });
    // Paced slower than the coalescing window, the reply arrives in several pieces, not one.
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((d) => d.streamId === streamId && d.attempt === 1)).toBe(true);
    expect(deltas.map((d) => d.text).join('')).toBe(r.text);
  });

  it('starts the streamed text over when a retry begins, and sends nothing without a stream id', async () => {
    const rig = await startRig();
    const events = heard(rig);
    rig.sandbox.script('azure', [{ kind: 'stream_drop', afterChunks: 2 }]);
    const r = await complete(rig, { ...prompt(), stream: true, streamId: 'pg-retry-000001' });
    expect(r.attempts.map((a) => a.outcome)).toEqual(['stream_dropped', 'ok']);
    const deltas = events.filter((e) => e.name === 'ai.delta').map((e) => e.payload as { attempt: number; text: string });
    expect(deltas[0]!.attempt).toBe(1);
    expect(deltas.filter((d) => d.attempt === 2).map((d) => d.text).join('')).toBe(r.text);

    events.length = 0;
    await complete(rig, { ...prompt(), stream: true });
    expect(events.filter((e) => e.name === 'ai.delta')).toEqual([]);
  });
});
