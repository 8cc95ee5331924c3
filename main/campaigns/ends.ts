/**
 * A campaign that ended (done, or cancelled once it had started sending) tells the operator on
 * this machine. The store enqueues the message in the transaction that moves the state, keyed by
 * the campaign: the move happens once, so the message exists once, and a restart finds it
 * delivered; a notifier that could not show it leaves it pending for the relay's next try.
 */
import { z } from 'zod';
import type { LANGUAGES } from '../../shared/settings';
import { defineConsumer, delivered, failed, type OutboxConsumer, type OutboxMessage } from '../outbox';
import type { Notice, Notifier } from '../ports/notifier';

export const CAMPAIGN_END_TOPIC = 'campaign.os';

type Language = (typeof LANGUAGES)[number];

export const campaignEndSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().max(200),
    outcome: z.enum(['done', 'cancelled']),
    sent: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    endedAt: z.number().int(),
  })
  .strict();
export type CampaignEnd = z.infer<typeof campaignEndSchema>;

export const campaignEndMessage = (end: CampaignEnd): OutboxMessage<CampaignEnd> => ({ topic: CAMPAIGN_END_TOPIC, key: end.id, payload: end });

const WORDS = {
  en: {
    done: (name: string) => `Campaign “${name}” finished`,
    cancelled: (name: string) => `Campaign “${name}” was cancelled`,
    counts: (sent: string, failed: string) => `Sent ${sent} · Failed ${failed}`,
  },
  fr: {
    done: (name: string) => `Campagne « ${name} » terminée`,
    cancelled: (name: string) => `Campagne « ${name} » annulée`,
    counts: (sent: string, failed: string) => `Envoyés ${sent} · Échecs ${failed}`,
  },
} as const satisfies Record<Language, unknown>;

const MAX_NAME = 200;

export function campaignNotice(end: CampaignEnd, language: Language): Notice {
  const w = WORDS[language];
  const name = end.name.length > MAX_NAME ? `${end.name.slice(0, MAX_NAME - 1)}…` : end.name;
  const n = new Intl.NumberFormat(language === 'fr' ? 'fr-FR' : 'en-US');
  return {
    id: `campaign:${end.id}`,
    // Something did not go: worth more than a plain notice.
    level: end.outcome === 'cancelled' || end.failed > 0 ? 'warning' : 'info',
    title: end.outcome === 'done' ? w.done(name) : w.cancelled(name),
    body: w.counts(n.format(end.sent), n.format(end.failed)),
    path: `/campaigns/${end.id}`,
  };
}

export interface CampaignEndOptions {
  /** The operator's OS notification switch (the alert channels' `os`), read at delivery time. */
  enabled: () => boolean;
  language: () => Language;
}

export function campaignEndConsumer(notifier: Notifier, options: CampaignEndOptions): OutboxConsumer<CampaignEnd> {
  return defineConsumer({
    topic: CAMPAIGN_END_TOPIC,
    schema: campaignEndSchema,
    batchSize: 10,
    maxAttempts: 8,
    leaseMs: 60_000,
    backoff: { baseMs: 2_000, maxMs: 10 * 60_000 },
    async deliver(items) {
      if (!options.enabled()) return items.map(() => failed('disabled: OS notifications are turned off', { permanent: true }));
      return Promise.all(
        items.map(async (item) => {
          try {
            return (await notifier.notify(campaignNotice(item.payload, options.language()))) ? delivered : failed('no_notifier: no window could show the notification');
          } catch (err) {
            return failed(`no_notifier: ${(err as Error).message}`);
          }
        }),
      );
    },
  });
}
