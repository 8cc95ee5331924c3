import {
  ALERT_CHANNELS,
  ALERT_TOPICS,
  type AlertChannel,
  type AlertChannelSettings,
  type AlertSecret,
  AWS_ACCESS_KEY_ID,
} from '../../shared/alerts';
import { AppError } from '../../shared/result';
import type { Db } from '../db/open';
import type { Outbox, OutboxConsumer } from '../outbox';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Notifier } from '../ports/notifier';
import { type SecretStore, SecretStoreError } from '../secrets';
import { type ChannelTargets, osConsumer, slackConsumer, snsConsumer } from './consumers';
import { type Delivery, refused } from './delivery';
import { notice, testAlert } from './render';
import { isAllowedWebhook, postSlack } from './slack';
import { publishSns, type SnsTarget } from './sns';
import { ChannelSettingsStore } from './store';

export const SECRET_NAMES = {
  accessKeyId: 'alerts.aws.accessKeyId',
  secretAccessKey: 'alerts.aws.secretAccessKey',
  webhook: 'alerts.slack.webhook',
} as const;

export type SecretInput = { secret: 'aws'; accessKeyId: string; secretAccessKey: string } | { secret: 'slack'; webhookUrl: string };

export interface AlertChannelsDeps {
  /** The live profile's file: channels are the agency's real ones, never a Sandbox copy. */
  db: Db;
  /** The live profile's outbox, where the channels' messages wait (read lazily: the profile opens after the channels). */
  outbox: () => Outbox;
  /**
   * The outbox of the profile whose alert history is on screen (Sandbox's while it is on): a
   * retry of one alert's delivery goes where that alert was enqueued. The live one by default.
   */
  historyOutbox?: () => Outbox;
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  /** Test hosts only: accept an http://127.0.0.1 webhook standing in for Slack. */
  allowLoopbackWebhook?: boolean;
}

interface TopicActivity {
  lastDeliveredAt: number | null;
  lastError: string | null;
}

const TEST_TIMEOUT_MS = 20_000;

const invalidField = (path: string, rule: string) => new AppError('invalid_input', 'invalid_input', {}, [{ path: [path], code: 'custom', params: { rule } }]);

export class AlertChannels {
  readonly store: ChannelSettingsStore;
  private readonly activity;
  private readonly abort = new AbortController();

  constructor(private readonly deps: AlertChannelsDeps) {
    this.store = new ChannelSettingsStore(deps.db, deps.clock, deps.logger);
    // Read beside the outbox's own counts: the last delivery and the newest dead letter's error.
    this.activity = deps.db.prepare<{ topic: string }, TopicActivity>(
      `SELECT (SELECT MAX(delivered_at) FROM outbox WHERE topic = @topic AND state = 'delivered') AS lastDeliveredAt,
              (SELECT last_error FROM outbox WHERE topic = @topic AND last_error IS NOT NULL AND state != 'delivered'
                 ORDER BY COALESCE(dead_at, next_attempt_at) DESC LIMIT 1) AS lastError`,
    );
  }

  private readonly targets: ChannelTargets = {
    osEnabled: () => this.store.get().os.enabled,
    sns: () => this.snsTarget(true),
    slack: () => this.slackTarget(true),
  };

  private async snsTarget(requireEnabled: boolean): Promise<SnsTarget | Delivery> {
    const { sns } = this.store.get();
    if (requireEnabled && !sns.enabled) return refused('disabled', 'SNS alerts are turned off');
    if (!sns.region || !sns.topicArn) return refused('not_configured', 'SNS needs a region and a topic ARN');
    if (sns.credentials === 'default') return { settings: sns };
    const [accessKeyId, secretAccessKey] = await Promise.all([this.secret(SECRET_NAMES.accessKeyId), this.secret(SECRET_NAMES.secretAccessKey)]);
    if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string') {
      return accessKeyId instanceof SecretStoreError || secretAccessKey instanceof SecretStoreError
        ? refused('auth', 'the AWS keys could not be read from the secret store', { retryable: true })
        : refused('not_configured', 'SNS needs an access key pair, or the default credential chain');
    }
    return { settings: sns, keys: { accessKeyId, secretAccessKey } };
  }

  private async slackTarget(requireEnabled: boolean): Promise<{ webhookUrl: string } | Delivery> {
    if (requireEnabled && !this.store.get().slack.enabled) return refused('disabled', 'Slack alerts are turned off');
    const url = await this.secret(SECRET_NAMES.webhook);
    if (url instanceof SecretStoreError) return refused('auth', 'the Slack webhook could not be read from the secret store', { retryable: true });
    if (url === undefined) return refused('not_configured', 'Slack needs a webhook URL');
    // A loopback URL saved by a test host is refused by a normal one.
    if (!isAllowedWebhook(url, this.deps.allowLoopbackWebhook ?? false)) return refused('not_configured', 'the saved webhook is not a Slack webhook URL');
    return { webhookUrl: url };
  }

  private async secret(name: string): Promise<string | undefined | SecretStoreError> {
    try {
      return await this.deps.secrets.get(name);
    } catch (err) {
      if (err instanceof SecretStoreError) return err;
      throw err;
    }
  }

  private async has(name: string): Promise<boolean> {
    return typeof (await this.secret(name)) === 'string';
  }

  /** The live profile's consumers, one per channel topic. */
  consumers(): OutboxConsumer<unknown>[] {
    return [osConsumer(this.deps.notifier, this.targets.osEnabled), snsConsumer(this.targets), slackConsumer(this.targets, this.deps.clock)] as OutboxConsumer<unknown>[];
  }

  async view() {
    const settings = this.store.get();
    const [awsId, awsSecret, webhook] = await Promise.all([
      this.has(SECRET_NAMES.accessKeyId),
      this.has(SECRET_NAMES.secretAccessKey),
      this.has(SECRET_NAMES.webhook),
    ]);
    const secrets = { aws: awsId && awsSecret, slack: webhook };
    const counts = new Map(this.deps.outbox().status().map((s) => [s.topic, s]));
    const configured: Record<AlertChannel, boolean> = {
      os: true,
      sns: Boolean(settings.sns.region && settings.sns.topicArn && (settings.sns.credentials === 'default' || secrets.aws)),
      slack: secrets.slack,
    };
    const status = Object.fromEntries(
      ALERT_CHANNELS.map((channel) => {
        const topic = ALERT_TOPICS[channel];
        const c = counts.get(topic);
        const a = this.activity.get({ topic }) ?? { lastDeliveredAt: null, lastError: null };
        return [
          channel,
          {
            enabled: settings[channel].enabled,
            configured: configured[channel],
            pending: (c?.pending ?? 0) + (c?.leased ?? 0),
            dead: c?.dead ?? 0,
            lastDeliveredAt: a.lastDeliveredAt,
            lastError: a.lastError,
          },
        ];
      }),
    ) as Record<AlertChannel, { enabled: boolean; configured: boolean; pending: number; dead: number; lastDeliveredAt: number | null; lastError: string | null }>;
    return { settings, secrets, status };
  }

  async update(patch: Partial<AlertChannelSettings>) {
    const current = this.store.get();
    this.store.set({
      os: { ...current.os, ...patch.os },
      sns: { ...current.sns, ...patch.sns },
      slack: { ...current.slack, ...patch.slack },
    });
    return this.view();
  }

  async setSecret(input: SecretInput) {
    if (input.secret === 'slack') {
      if (!isAllowedWebhook(input.webhookUrl, this.deps.allowLoopbackWebhook ?? false)) throw invalidField('webhookUrl', 'slack_webhook');
      await this.deps.secrets.set(SECRET_NAMES.webhook, input.webhookUrl);
    } else {
      if (!AWS_ACCESS_KEY_ID.test(input.accessKeyId)) throw invalidField('accessKeyId', 'aws_access_key_id');
      await this.deps.secrets.set(SECRET_NAMES.accessKeyId, input.accessKeyId);
      await this.deps.secrets.set(SECRET_NAMES.secretAccessKey, input.secretAccessKey);
    }
    this.deps.logger.info('alerts: channel secret saved', { secret: input.secret });
    return this.view();
  }

  async clearSecret(secret: AlertSecret) {
    const names = secret === 'slack' ? [SECRET_NAMES.webhook] : [SECRET_NAMES.accessKeyId, SECRET_NAMES.secretAccessKey];
    for (const name of names) await this.deps.secrets.delete(name);
    this.deps.logger.info('alerts: channel secret cleared', { secret });
    return this.view();
  }

  /**
   * Sends a test alert through the channel now, outside the outbox: the operator waits for this
   * answer, and a failed test must not leave a dead letter behind. Enabled or not, a configured
   * channel is tried, so it can be checked before it is switched on.
   */
  async test(channel: AlertChannel): Promise<Delivery> {
    const alert = testAlert(this.deps.clock.now());
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(TEST_TIMEOUT_MS)]);
    let result: Delivery;
    if (channel === 'os') {
      result = (await this.deps.notifier.notify(notice(alert))) ? { ok: true } : refused('no_notifier', 'no window could show the notification');
    } else if (channel === 'sns') {
      const target = await this.snsTarget(false);
      result = 'ok' in target ? target : await publishSns(target, alert, signal);
    } else {
      const target = await this.slackTarget(false);
      result = 'ok' in target ? target : await postSlack(target.webhookUrl, alert, signal, this.deps.clock.now());
    }
    this.deps.logger.info('alerts: test message', { channel, ok: result.ok, code: result.ok ? null : result.code });
    return result;
  }

  /** Gives the channel's dead letters, or only the given alert's, a fresh set of attempts. */
  retry(channel: AlertChannel, alertId?: string): number {
    if (alertId === undefined) return this.deps.outbox().requeueDead(ALERT_TOPICS[channel]);
    return (this.deps.historyOutbox ?? this.deps.outbox)().requeueDead(ALERT_TOPICS[channel], alertId);
  }

  /** Cancels tests in flight (the profile is closing). */
  close(): void {
    this.abort.abort();
  }
}
