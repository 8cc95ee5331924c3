import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertMessages } from '../../../main/alerts/consumers';
import { transaction } from '../../../main/db/tx';
import { manualClock } from '../../../main/ports/clock';
import { createServices } from '../../../main/services';
import { ALERT_TOPICS } from '../../../shared/alerts';
import { recordingLogger } from '../../support/ai';
import { recordingNotifier, sampleAlert } from '../../support/alerts';
import { useSlackStandIns } from '../../support/slack';
import { useTempDirs } from '../../support/tmp';

describe('alert channels through the registry', () => {
  const tempDir = useTempDirs();
  const standIn = useSlackStandIns();

  async function open(notifier = recordingNotifier()) {
    const dataDir = tempDir();
    const logger = recordingLogger();
    const events: [string, unknown][] = [];
    const services = await createServices({
      dataDir,
      host: 'web',
      logger,
      clock: manualClock(),
      notifier,
      secrets: { keychain: null, legacy: { keytar: null } },
      alerts: { allowLoopbackWebhook: true },
    });
    services.events.subscribe((e, p) => events.push([e, p]));
    return { dataDir, logger, services, events, notifier, call: (m: string, i: unknown) => services.registry.dispatch(m, i) };
  }

  it('saves settings and a webhook, sends a test, and never lets the webhook out', async () => {
    const { services, call, events, logger, dataDir } = await open();
    const slack = await standIn();
    try {
      const set = await call('alerts.setSecret', { secret: 'slack', webhookUrl: slack.url });
      expect(set).toMatchObject({ ok: true, value: { secrets: { slack: true, aws: false }, status: { slack: { configured: true, enabled: false } } } });
      expect(await call('alerts.setChannels', { slack: { enabled: true } })).toMatchObject({ ok: true, value: { settings: { slack: { enabled: true } } } });
      expect(events.filter(([e]) => e === 'alerts.channelsChanged')).toHaveLength(2);
      expect(await call('alerts.test', { channel: 'slack' })).toEqual({ ok: true, value: { ok: true } });
      expect(slack.received).toHaveLength(1);
      slack.script({ status: 500 });
      expect(await call('alerts.test', { channel: 'slack' })).toEqual({
        ok: true,
        value: { ok: false, code: 'unavailable', retryable: true, detail: 'internal_error', status: 500 },
      });
      const replies = JSON.stringify([await call('alerts.channels', {}), set]);
      await services.close();
      const secretPath = new URL(slack.url).pathname;
      expect(readFileSync(join(dataDir, 'huntaze.db')).includes(Buffer.from(secretPath))).toBe(false);
      expect(replies).not.toContain(secretPath);
      expect(logger.lines.join('\n')).not.toContain(secretPath);
    } finally {
      await services.close();
    }
  });

  it('refuses a bad topic ARN and a non-Slack webhook with field issues, and keeps what was there', async () => {
    const { services, call } = await open();
    try {
      const arn = 'arn:aws:sns:eu-west-1:123456789012:alerts';
      await call('alerts.setChannels', { sns: { enabled: true, region: 'eu-west-1', credentials: 'default', endpoint: '', topicArn: arn } });
      const bad = await call('alerts.setChannels', { sns: { enabled: true, region: 'eu-west-1', credentials: 'default', endpoint: '', topicArn: 'arn:aws:sqs:x' } });
      expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ path: ['sns', 'topicArn'], code: 'custom', params: { rule: 'sns_topic_arn' } }] } });
      const webhook = await call('alerts.setSecret', { secret: 'slack', webhookUrl: 'https://example.com/services/T/B/x' });
      expect(webhook).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ path: ['webhookUrl'], params: { rule: 'slack_webhook' } }] } });
      expect(await call('alerts.channels', {})).toMatchObject({ ok: true, value: { settings: { sns: { topicArn: arn } }, secrets: { slack: false } } });
    } finally {
      await services.close();
    }
  });

  it('runs the live relay until close, and in Sandbox mode only notifies on this machine', async () => {
    const notifier = recordingNotifier();
    const { services, call } = await open(notifier);
    try {
      const alert = sampleAlert({ id: 'live-1' });
      const enqueue = transaction(services.db, (tx) => alertMessages(alert, ['os', 'slack'], 'live').map((m) => services.outbox.enqueue(tx, m)));
      enqueue();
      services.profile.relay.wake();
      await expect.poll(() => notifier.shown.map((n) => n.path)).toEqual(['/alerts/live-1']);
      // Slack has no webhook: a dead letter that says so, not a lost alert.
      await expect.poll(async () => ((await call('alerts.channels', {})) as { value: { status: { slack: { dead: number } } } }).value.status.slack.dead).toBe(1);

      expect(alertMessages(alert, ['os', 'sns', 'slack'], 'sandbox').map((m) => m.topic)).toEqual([ALERT_TOPICS.os]);
      await call('settings.update', { sandboxMode: true });
      expect(services.profile.name).toBe('sandbox');
      const sandboxAlert = sampleAlert({ id: 'sandbox-1' });
      transaction(services.db, (tx) => alertMessages(sandboxAlert, ['os', 'sns', 'slack'], 'sandbox').forEach((m) => services.profile.outbox.enqueue(tx, m)))();
      // The Sandbox file's own outbox (not the live one) carries it, delivered by the Sandbox profile's relay.
      services.profile.relay.wake();
      await expect.poll(() => notifier.shown.map((n) => n.path)).toEqual(['/alerts/live-1', '/alerts/sandbox-1']);
    } finally {
      await services.close();
    }
  });

  it('announces each settled delivery once its outcome is committed, so the history on screen moves', async () => {
    const notifier = recordingNotifier();
    const { services } = await open(notifier);
    try {
      const alert = sampleAlert({ id: 'moves-1' });
      const state = () => services.db.prepare('SELECT state, attempts FROM outbox WHERE topic = ? AND key = ?').get(ALERT_TOPICS.os, alert.id);
      // What a window refetching on the event would read, read the moment the event arrives.
      const seen: unknown[] = [];
      services.events.subscribe((event, payload) => event === 'alerts.changed' && seen.push({ payload, row: state() }));
      transaction(services.db, (tx) => alertMessages(alert, ['os'], 'live').forEach((m) => services.outbox.enqueue(tx, m)))();
      services.profile.relay.wake();
      // While the delivery is in flight the row is still pending: 'delivered' here means the event came after the commit.
      await expect.poll(() => seen).toEqual([{ payload: { id: null }, row: { state: 'delivered', attempts: 1 } }]);
    } finally {
      await services.close();
    }
  });

  it('pushes alert.fired to open pages when the host has no notifier of its own', async () => {
    const dataDir = tempDir();
    const services = await createServices({ dataDir, host: 'web', logger: recordingLogger(), secrets: { keychain: null, legacy: { keytar: null } } });
    const fired: unknown[] = [];
    services.events.subscribe((e, p) => e === 'alert.fired' && fired.push(p));
    try {
      expect(await services.registry.dispatch('alerts.test', { channel: 'os' })).toEqual({ ok: true, value: { ok: true } });
      expect(fired).toEqual([expect.objectContaining({ level: 'info', path: expect.stringMatching(/^\/alerts\/test-\d+$/) })]);
    } finally {
      await services.close();
    }
  });
});
