import { describe, expect, it } from 'vitest';
import type { CompletionResult } from '../../../shared/ai';
import type { AlertEntry } from '../../../shared/contract/budgets';
import { type AiRig, prompt, useAiRig } from '../../support/ai';
import { threshold } from '../../support/budgets';

describe('budgets and alert history through the contract (real services, sandbox provider)', () => {
  const startRig = useAiRig();
  let rig: AiRig;
  const call = async (method: string, input: unknown) => rig.services.registry.dispatch(method as never, input as never);
  const history = async () => ((await call('costs.alerts', {})) as { ok: true; value: AlertEntry[] }).value;

  it('saves the model whole, fires on spend, lists the alert with its deliveries, and acknowledges it', async () => {
    rig = await startRig();
    const events: string[] = [];
    const off = rig.services.events.subscribe((name) => void events.push(name));
    const saved = await call('costs.setThresholds', { thresholds: [threshold({ amountMicros: 100, levels: [50, 100] })] });
    expect(saved).toMatchObject({ ok: true, value: { thresholds: [{ id: 'g-day', amountMicros: 100 }] } });
    expect(await call('costs.thresholds', {})).toEqual(saved);
    const r = (await call('ai.complete', { ...prompt(), maxOutputTokens: 20 })) as { ok: true; value: CompletionResult };
    expect(r.value.outcome).toBe('ok');
    const list = await history();
    // Newest first; both levels were crossed by one cost row, the higher one listed first.
    expect(list.map((a) => a.id)).toEqual([expect.stringMatching(/^g-day\.\d{4}-\d{2}-\d{2}\.100$/), expect.stringMatching(/^g-day\.\d{4}-\d{2}-\d{2}\.50$/)]);
    expect(list[0]).toMatchObject({ level: 'critical', kind: 'threshold', budgetMicros: 100, acknowledgedAt: null, channels: [{ channel: 'os' }] });
    expect(events).toContain('alerts.changed');

    const ack = await call('alerts.acknowledge', { id: list[0]!.id });
    expect(ack).toMatchObject({ ok: true, value: { id: list[0]!.id, acknowledgedAt: expect.any(Number) } });
    expect((await history())[0]!.acknowledgedAt).toBe((ack as { ok: true; value: { acknowledgedAt: number } }).value.acknowledgedAt);
    expect(await call('alerts.acknowledge', { id: 'nope.2026-11-26.50' })).toMatchObject({ ok: false, error: { kind: 'not_found', code: 'alert_not_found' } });
    off();
  });

  it('places problems at the field: negative amounts, a daily budget above its monthly one, a provider budget without its provider', async () => {
    rig = await startRig();
    const bad = await call('costs.setThresholds', {
      thresholds: [
        threshold({ id: 'a', amountMicros: -5 }),
        threshold({ id: 'd', amountMicros: 5_000_000 }),
        threshold({ id: 'm', period: 'month', amountMicros: 1_000_000 }),
        threshold({ id: 'p', scope: 'provider', target: null }),
        threshold({ id: 'l', levels: [80, 50] }),
      ],
    });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    const issues = (bad as { ok: false; error: { issues: { path: unknown[]; params: Record<string, unknown> }[] } }).error.issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['thresholds', 0, 'amountMicros'] }),
        expect.objectContaining({ path: ['thresholds', 4, 'levels'], params: expect.objectContaining({ rule: 'ascending_levels' }) }),
      ]),
    );
    // Cross-field rules run once every field is well-formed.
    const crossField = await call('costs.setThresholds', {
      thresholds: [threshold({ id: 'd', amountMicros: 5_000_000 }), threshold({ id: 'm', period: 'month', amountMicros: 1_000_000 }), threshold({ id: 'p', scope: 'provider', target: null })],
    });
    const cross = (crossField as { ok: false; error: { issues: { path: unknown[]; params: Record<string, unknown> }[] } }).error.issues;
    expect(cross).toEqual([
      expect.objectContaining({ path: ['thresholds', 2, 'target'], params: expect.objectContaining({ rule: 'target_required' }) }),
      expect.objectContaining({ path: ['thresholds', 0, 'amountMicros'], params: expect.objectContaining({ rule: 'daily_above_monthly', monthlyMicros: 1_000_000 }) }),
    ]);
    // Nothing was lost: the model is as it was.
    expect(await call('costs.thresholds', {})).toEqual({ ok: true, value: { thresholds: [] } });
  });

  it('keeps the Sandbox profile’s budgets apart from the live ones', async () => {
    rig = await startRig();
    await call('costs.setThresholds', { thresholds: [threshold({ id: 'live-one' })] });
    expect((await call('settings.update', { sandboxMode: true })).ok).toBe(true);
    expect(await call('costs.thresholds', {})).toEqual({ ok: true, value: { thresholds: [] } });
    await call('costs.setThresholds', { thresholds: [threshold({ id: 'sandbox-one' })] });
    expect((await call('settings.update', { sandboxMode: false })).ok).toBe(true);
    expect(await call('costs.thresholds', {})).toMatchObject({ ok: true, value: { thresholds: [{ id: 'live-one' }] } });
  });
});
