import { describe, expect, it, vi } from 'vitest';
import { abortableSleep } from '../../../main/ai/orchestrator';
import { prompt, useAiRig } from '../../support/ai';

describe('cancelling an AI call', () => {
  const startRig = useAiRig();

  it('aborts the HTTP call in flight and answers cancelled, without falling back', async () => {
    const rig = await startRig();
    // Azure holds its reply far longer than this test may run: only the abort can end the call.
    rig.sandbox.setLatency('azure', 120_000);
    await rig.services.registry.dispatch('providers.update', {
      provider: 'azure',
      config: { ...(await rig.services.ai.list()).providers[0]!.config, firstByteTimeoutMs: 120_000, totalTimeoutMs: 120_000 },
    });
    const controller = new AbortController();
    const pending = rig.services.ai.complete(prompt(), controller.signal);
    await vi.waitFor(() => expect(rig.sandbox.requests()).toHaveLength(1));
    controller.abort();
    const r = await pending;
    expect(r.outcome).toBe('failed');
    expect(r.error?.kind).toBe('cancelled');
    expect(r.attempts.map((a) => a.outcome)).toEqual(['cancelled']);
    // Nobody else was asked, and the cancel did not count against Azure's circuit.
    expect(rig.sandbox.requests().map((q) => q.target)).toEqual(['azure']);
    expect(rig.services.ai.breakers.state('azure')).toBe('closed');
  });

  it('ends a backoff wait at once', async () => {
    const controller = new AbortController();
    const waiting = abortableSleep(120_000, controller.signal);
    controller.abort(new Error('paused'));
    await expect(waiting).rejects.toThrow('paused');
    await expect(abortableSleep(1, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});
