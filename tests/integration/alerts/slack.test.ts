import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_TOPICS } from '../../../shared/alerts';
import { AppError } from '../../../shared/result';
import { sampleAlert, useAlertsRig } from '../../support/alerts';
import { NOW } from '../../support/outbox';
import { useSlackStandIns } from '../../support/slack';

const slackMessage = (id: string) => ({ topic: ALERT_TOPICS.slack, key: id, payload: sampleAlert({ id }) });

describe('Slack channel against a loopback webhook', () => {
  const rig = useAlertsRig();
  const standIn = useSlackStandIns();

  async function ready() {
    const r = await rig();
    const slack = await standIn();
    await r.channels.setSecret({ secret: 'slack', webhookUrl: slack.url });
    await r.channels.update({ slack: { enabled: true } });
    return { ...r, slack };
  }

  it('posts a Block Kit message with header, amounts, period and a context line', async () => {
    const { enqueue, relay, slack, row } = await ready();
    enqueue(slackMessage('a1'));
    expect(await relay.runOnce()).toMatchObject({ delivered: 1, retried: 0, dead: 0 });
    expect(row(ALERT_TOPICS.slack, 'a1')).toMatchObject({ state: 'delivered', attempts: 1 });
    const [payload] = slack.received;
    expect(payload!.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(payload!.blocks[0]!.text!.text).toBe('Warning: Campaign Black Friday reached 80% of its monthly budget');
    expect(payload!.blocks[1]!.fields!.map((f) => f.text)).toEqual(['*Spent*\n$812.34', '*Budget*\n$1,000.00', '*Period*\nNovember 2026', '*Level*\nWarning (80%)']);
    expect(payload!.blocks[2]!.elements![0]!.text).toContain('a1');
    expect(payload!.text).toContain('$812.34 of a $1,000.00 budget');
  });

  it('honours Retry-After on a 429, then delivers', async () => {
    const { enqueue, relay, slack, row, clock } = await ready();
    slack.script({ status: 429, retryAfter: '120' });
    enqueue(slackMessage('t1'));
    expect(await relay.runOnce()).toMatchObject({ retried: 1 });
    const waiting = row(ALERT_TOPICS.slack, 't1')!;
    expect(waiting.state).toBe('pending');
    expect(waiting.last_error).toBe('throttled (HTTP 429): rate_limited');
    expect(waiting.next_attempt_at).toBe(NOW + 120_000);
    clock.advance(119_999);
    expect(await relay.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(1);
    expect(await relay.runOnce()).toMatchObject({ delivered: 1 });
    expect(slack.received).toHaveLength(1);
  });

  it('retries a 500 and buries a 4xx at once with Slack’s own word', async () => {
    const { enqueue, relay, slack, row } = await ready();
    slack.script({ status: 500 }, { status: 404, body: 'no_service' });
    enqueue(slackMessage('s1'), slackMessage('s2'));
    expect(await relay.runOnce()).toMatchObject({ retried: 1, dead: 1 });
    expect(row(ALERT_TOPICS.slack, 's1')).toMatchObject({ state: 'pending', last_error: 'unavailable (HTTP 500): internal_error' });
    expect(row(ALERT_TOPICS.slack, 's2')).toMatchObject({ state: 'dead', attempts: 1, last_error: 'not_found (HTTP 404): no_service' });
  });

  it('delivers each alert exactly once across an outage and its recovery, and retries dead letters on request', async () => {
    const { enqueue, relay, slack, row, clock, channels } = await ready();
    slack.script({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    enqueue(slackMessage('o1'), slackMessage('o2'), slackMessage('o3'));
    expect(await relay.runOnce()).toMatchObject({ retried: 3 });
    clock.advance(60_000);
    expect(await relay.runOnce()).toMatchObject({ retried: 3 });
    expect(slack.requests).toBe(6);
    // Slack is back.
    for (let i = 0; i < 5; i++) {
      clock.advance(10 * 60_000);
      await relay.runOnce();
    }
    expect(slack.received.map((p) => p.blocks[2]!.elements![0]!.text.split(' ')[2])).toEqual(['o1', 'o2', 'o3']);
    for (const id of ['o1', 'o2', 'o3']) expect(row(ALERT_TOPICS.slack, id)).toMatchObject({ state: 'delivered', attempts: 3 });
    expect(slack.requests).toBe(9);

    // A webhook that went away: dead letters, then the operator fixes it and retries them.
    slack.script({ status: 404, body: 'no_service' });
    enqueue(slackMessage('o4'));
    await relay.runOnce();
    expect(row(ALERT_TOPICS.slack, 'o4')!.state).toBe('dead');
    expect((await channels.view()).status.slack).toMatchObject({ dead: 1, lastError: 'not_found (HTTP 404): no_service' });
    expect(channels.retry('slack')).toBe(1);
    await relay.runOnce();
    expect(row(ALERT_TOPICS.slack, 'o4')!.state).toBe('delivered');
    expect(slack.received).toHaveLength(4);
    expect((await channels.view()).status.slack).toMatchObject({ dead: 0, pending: 0, lastDeliveredAt: clock.now() });
  });

  it('dead-letters what it cannot send while the channel is off or has no webhook, so nothing is lost', async () => {
    const { enqueue, relay, row, channels, slack } = await ready();
    await channels.update({ slack: { enabled: false } });
    enqueue(slackMessage('d1'));
    await relay.runOnce();
    expect(row(ALERT_TOPICS.slack, 'd1')).toMatchObject({ state: 'dead', last_error: 'disabled: Slack alerts are turned off' });
    await channels.update({ slack: { enabled: true } });
    channels.retry('slack');
    await relay.runOnce();
    expect(row(ALERT_TOPICS.slack, 'd1')!.state).toBe('delivered');
    expect(slack.received).toHaveLength(1);
  });

  it('Send test posts now, outside the outbox, and answers Slack’s words on failure', async () => {
    const { channels, slack, outbox } = await ready();
    expect(await channels.test('slack')).toEqual({ ok: true });
    expect(slack.received[0]!.blocks[1]!.fields![2]!.text).toContain('Test message');
    slack.script({ status: 403, body: 'invalid_token' });
    expect(await channels.test('slack')).toEqual({ ok: false, code: 'auth', retryable: false, detail: 'invalid_token', status: 403 });
    expect(outbox.status()).toEqual([]);
  });

  it('accepts only Slack’s https webhooks unless the host allows a loopback stand-in', async () => {
    const strict = await rig({ allowLoopbackWebhook: false });
    const refused = async (webhookUrl: string) => {
      const err = await strict.channels.setSecret({ secret: 'slack', webhookUrl }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).issues).toEqual([{ path: ['webhookUrl'], code: 'custom', params: { rule: 'slack_webhook' } }]);
    };
    await refused('http://127.0.0.1:9/services/T/B/x');
    await refused('http://hooks.slack.com/services/T0/B0/abc');
    await refused('https://hooks.slack.com.evil.example/services/T0/B0/abc');
    await refused('https://hooks.slack.com/services/T0/B0/abc?x=1');
    expect((await strict.channels.view()).secrets.slack).toBe(false);
    await strict.channels.setSecret({ secret: 'slack', webhookUrl: 'https://hooks.slack.com/services/T0AAA/B0BBB/abcdefXYZ' });
    expect((await strict.channels.view()).secrets.slack).toBe(true);
    expect((await strict.channels.view()).status.slack.configured).toBe(true);
  });

  it('keeps the webhook out of the database file, the logs, last_error and every reply', async () => {
    const { enqueue, relay, slack, channels, logger, dataDir, db } = await ready();
    const secretPart = new URL(slack.url).pathname;
    slack.script({ status: 500 });
    enqueue(slackMessage('c1'));
    await relay.runOnce();
    const replies = JSON.stringify([await channels.view(), await channels.test('slack'), await channels.update({ slack: { enabled: true } })]);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(join(dataDir, 'huntaze.db'));
    expect(file.includes(Buffer.from(secretPart))).toBe(false);
    expect(file.includes(Buffer.from('secretpart'))).toBe(false);
    expect(logger.lines.join('\n')).not.toContain('secretpart');
    expect(replies).not.toContain('secretpart');
    expect(replies).toContain('"slack":true');
  });
});
