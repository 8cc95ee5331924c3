/**
 * The alert channels as outbox consumers, one topic each: an outage of Slack never delays an
 * email, and a delivery is never part of the ledger write that fired the alert.
 */
import { type AlertChannel, type AlertMessage, alertMessageSchema, ALERT_TOPICS } from '../../shared/alerts';
import { defineConsumer, type OutboxConsumer, type OutboxMessage } from '../outbox';
import type { Clock } from '../ports/clock';
import type { Notifier } from '../ports/notifier';
import { type Delivery, refused, sent, toOutcome } from './delivery';
import { notice } from './render';
import { postSlack } from './slack';
import { publishSns, type SnsTarget } from './sns';

/** Where each channel's settings come from at delivery time: the operator may have changed them since the alert fired. */
export interface ChannelTargets {
  sns(): Promise<SnsTarget | Delivery>;
  slack(): Promise<{ webhookUrl: string } | Delivery>;
  osEnabled(): boolean;
}

const COMMON = { schema: alertMessageSchema, batchSize: 10, maxAttempts: 8, leaseMs: 60_000, backoff: { baseMs: 2_000, maxMs: 10 * 60_000 } } as const;

const isDelivery = (v: object): v is Delivery => 'ok' in v;

export function osConsumer(notifier: Notifier, enabled: () => boolean = () => true): OutboxConsumer<AlertMessage> {
  return defineConsumer({
    ...COMMON,
    topic: ALERT_TOPICS.os,
    async deliver(items) {
      if (!enabled()) return items.map(() => toOutcome(refused('disabled', 'OS notifications are turned off')));
      return Promise.all(
        items.map(async (item) => {
          try {
            return toOutcome((await notifier.notify(notice(item.payload))) ? sent : refused('no_notifier', 'no window could show the notification', { retryable: true }));
          } catch (err) {
            return toOutcome(refused('no_notifier', (err as Error).message, { retryable: true }));
          }
        }),
      );
    },
  });
}

export function snsConsumer(targets: ChannelTargets): OutboxConsumer<AlertMessage> {
  return defineConsumer({
    ...COMMON,
    topic: ALERT_TOPICS.sns,
    async deliver(items, { signal }) {
      const target = await targets.sns();
      if (isDelivery(target)) return items.map(() => toOutcome(target));
      return Promise.all(items.map(async (item) => toOutcome(await publishSns(target, item.payload, signal))));
    },
  });
}

export function slackConsumer(targets: ChannelTargets, clock: Clock): OutboxConsumer<AlertMessage> {
  return defineConsumer({
    ...COMMON,
    topic: ALERT_TOPICS.slack,
    // One at a time: Slack allows about one message per second per webhook, and a 429 should stop the batch.
    async deliver(items, { signal }) {
      const target = await targets.slack();
      if (isDelivery(target)) return items.map(() => toOutcome(target));
      const outcomes = [];
      let throttled: Delivery | null = null;
      for (const item of items) {
        const d: Delivery = throttled ?? (await postSlack(target.webhookUrl, item.payload, signal, clock.now()));
        if (!d.ok && d.code === 'throttled') throttled = d;
        outcomes.push(toOutcome(d));
      }
      return outcomes;
    },
  });
}

/**
 * What the alert evaluator enqueues for one fired alert, in the transaction that records the
 * alert: its own, right after the ledger's commit, never the ledger write's (a delivery problem
 * must not roll back a cost row). The Sandbox profile's alerts only notify on this machine:
 * nothing it does may reach the agency's real Slack or email, and its own outbox has no relay
 * for those topics.
 */
export function alertMessages(alert: AlertMessage, channels: readonly AlertChannel[], profile: 'live' | 'sandbox'): OutboxMessage<AlertMessage>[] {
  const allowed = profile === 'live' ? channels : channels.filter((c) => c === 'os');
  return allowed.map((c) => ({ topic: ALERT_TOPICS[c], key: alert.id, payload: alert }));
}
