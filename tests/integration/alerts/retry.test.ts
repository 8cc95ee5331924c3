import { describe, expect, it } from 'vitest';
import type { AlertEntry } from '../../../shared/contract/budgets';
import { type AiRig, prompt, useAiRig } from '../../support/ai';
import { threshold } from '../../support/budgets';
import { useSlackStandIns } from '../../support/slack';

type Call = (method: string, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: unknown }>;

describe('retrying one alert’s failed delivery (real services, sandbox provider, loopback Slack)', () => {
  const startRig = useAiRig();
  const standIn = useSlackStandIns();

  async function setUp() {
    // Zero backoff: the relay spends its attempts at once, so the outage dead-letters without waiting.
    const rig: AiRig = await startRig({ alerts: { allowLoopbackWebhook: true, relay: { random: () => 0 } } });
    const call: Call = (method, input) => rig.services.registry.dispatch(method as never, input as never);
    const history = async () => ((await call('costs.alerts', {})) as { value: AlertEntry[] }).value;
    const slackOf = async (id: string) => (await history()).find((a) => a.id === id)?.channels.find((c) => c.channel === 'slack');
    return { rig, call, history, slackOf };
  }

  it('shows the dead delivery with its error, then delivers only that alert, once, when retried', async () => {
    const { rig, call, history, slackOf } = await setUp();
    const slack = await standIn();
    slack.outage = 500;
    const changed: unknown[] = [];
    rig.services.events.subscribe((event, payload) => event === 'alerts.changed' && changed.push(payload));
    expect(await call('alerts.setSecret', { secret: 'slack', webhookUrl: slack.url })).toMatchObject({ ok: true });
    expect(await call('alerts.setChannels', { os: { enabled: false }, slack: { enabled: true } })).toMatchObject({ ok: true });
    expect(await call('costs.setThresholds', { thresholds: [threshold({ amountMicros: 100, levels: [50, 100] })] })).toMatchObject({ ok: true });
    expect(await call('ai.complete', { ...prompt(), maxOutputTokens: 20 })).toMatchObject({ ok: true, value: { outcome: 'ok' } });

    const [high, low] = (await history()).map((a) => a.id);
    expect([high, low]).toEqual([expect.stringMatching(/\.100$/), expect.stringMatching(/\.50$/)]);
    for (const id of [high!, low!]) {
      await expect.poll(() => slackOf(id)).toEqual({
        channel: 'slack',
        state: 'dead',
        lastError: 'unavailable (HTTP 500): internal_error (gave up after 8 attempts)',
      });
    }
    expect(slack.received).toEqual([]);

    slack.outage = null;
    changed.length = 0;
    expect(await call('alerts.retry', { channel: 'slack', alertId: high })).toEqual({ ok: true, value: { requeued: 1 } });
    expect(changed).toEqual([{ id: high }]);
    await expect.poll(() => slackOf(high!)).toEqual({ channel: 'slack', state: 'delivered', lastError: null });
    expect(slack.received.map((p) => p.blocks.at(-1)!.elements![0]!.text)).toEqual([expect.stringContaining(`Huntaze alert ${high} `)]);
    // The other alert was not touched, and a second retry of the delivered one finds nothing to do.
    expect(await slackOf(low!)).toMatchObject({ state: 'dead' });
    expect(await call('alerts.retry', { channel: 'slack', alertId: high })).toEqual({ ok: true, value: { requeued: 0 } });

    // The channel-wide retry (Settings → Alert channels) still requeues what is left.
    expect(await call('alerts.retry', { channel: 'slack' })).toEqual({ ok: true, value: { requeued: 1 } });
    await expect.poll(() => slackOf(low!)).toEqual({ channel: 'slack', state: 'delivered', lastError: null });
    expect(slack.received.map((p) => p.blocks.at(-1)!.elements![0]!.text.split(' ')[2])).toEqual([high, low]);
  });

  it('refuses a malformed alert id with a field issue', async () => {
    const { call } = await setUp();
    expect(await call('alerts.retry', { channel: 'slack', alertId: 'not an id!' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input', issues: [{ path: ['alertId'] }] },
    });
  });
});
