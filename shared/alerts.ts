/**
 * What an alert is once it has fired, and where it may be delivered. The alert evaluator
 * enqueues one `AlertMessage` per channel topic; every channel renders from it alone, so a
 * delivery never reads the ledger or the budgets again (they may have moved since).
 */
import { z } from 'zod';

export const ALERT_LEVELS = ['info', 'warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** What crossed: a budget's share (50 / 80 / 100 %) or the forecast crossing the monthly budget. */
export const ALERT_KINDS = ['threshold', 'projected_overrun'] as const;
export const ALERT_SCOPES = ['global', 'provider', 'campaign'] as const;
export const ALERT_PERIODS = ['day', 'month'] as const;

const micros = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const alertMessageSchema = z
  .object({
    /** Stable per threshold × period × level: the outbox key, and the deep link's id. */
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,120}$/),
    level: z.enum(ALERT_LEVELS),
    kind: z.enum(ALERT_KINDS),
    threshold: z
      .object({
        scope: z.enum(ALERT_SCOPES),
        /** The provider id or campaign id the budget is for; null for the global budget. */
        target: z.string().max(200).nullable(),
        /** A name the operator recognises, e.g. the campaign's title; null to show `target`. */
        label: z.string().max(200).nullable(),
        /** The alert level of the budget that was reached, in percent (50, 80, 100…). */
        percent: z.number().int().min(1).max(1000),
      })
      .strict(),
    period: z
      .object({
        unit: z.enum(ALERT_PERIODS),
        /** The period in the agency's time zone: `2026-11-26` (day) or `2026-11` (month). */
        key: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/),
        /** How the operator reads that period, already in their time zone, e.g. "November 2026". */
        label: z.string().min(1).max(80),
      })
      .strict(),
    /** Spent so far (threshold) or projected (projected_overrun), integer micro-dollars. */
    amountMicros: micros,
    budgetMicros: micros,
    firedAt: z.number().int().nonnegative(),
    /** Where the app shows this alert: `/alerts/<id>`. */
    path: z.string().regex(/^\/alerts\/[A-Za-z0-9_.:-]{1,120}$/),
  })
  .strict();
export type AlertMessage = z.infer<typeof alertMessageSchema>;

export const ALERT_CHANNELS = ['os', 'sns', 'slack'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];
export const alertChannelSchema = z.enum(ALERT_CHANNELS);

/** One outbox topic per channel, so an outage of one never holds up another. */
export const ALERT_TOPICS = { os: 'alert.os', sns: 'alert.sns', slack: 'alert.slack' } as const satisfies Record<AlertChannel, string>;

/** `arn:aws:sns:<region>:<12-digit account>:<topic>` (also the China and GovCloud partitions). */
export const SNS_TOPIC_ARN = /^arn:aws(-cn|-us-gov)?:sns:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
export const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
export const SLACK_WEBHOOK = /^https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/;
/** Only when the host was started for tests: a local server stands in for Slack. */
export const LOOPBACK_WEBHOOK = /^http:\/\/127\.0\.0\.1:\d{1,5}\/[A-Za-z0-9_/-]*$/;
export const AWS_ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;

/** Blank means "not set" (the channel then reports itself not configured); anything else must match. */
const blankOr = (pattern: RegExp, rule: string, max = 300) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => v === '' || pattern.test(v), { params: { rule } });

export const snsSettingsSchema = z
  .object({
    enabled: z.boolean(),
    region: blankOr(AWS_REGION, 'aws_region', 30),
    /** `keys`: the access key pair in the secret store; `default`: the SDK's default credential chain. */
    credentials: z.enum(['keys', 'default']),
    /** An emulator's address (LocalStack, fauxqs); blank for AWS itself. */
    endpoint: blankOr(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'endpoint_url', 500),
    topicArn: blankOr(SNS_TOPIC_ARN, 'sns_topic_arn', 400),
  })
  .strict();
export type SnsSettings = z.infer<typeof snsSettingsSchema>;

export const alertChannelSettingsSchema = z
  .object({
    os: z.object({ enabled: z.boolean() }).strict(),
    sns: snsSettingsSchema,
    slack: z.object({ enabled: z.boolean() }).strict(),
  })
  .strict();
export type AlertChannelSettings = z.infer<typeof alertChannelSettingsSchema>;

export const DEFAULT_ALERT_CHANNEL_SETTINGS: AlertChannelSettings = {
  os: { enabled: true },
  sns: { enabled: false, region: '', credentials: 'keys', endpoint: '', topicArn: '' },
  slack: { enabled: false },
};

/** Secrets the channels hold, set and cleared as a whole (a key id without its secret is useless). */
export const ALERT_SECRETS = ['aws', 'slack'] as const;
export type AlertSecret = (typeof ALERT_SECRETS)[number];

/** Why a delivery (or a Send test) failed, as the renderer words it. */
export const DELIVERY_ERRORS = ['not_configured', 'disabled', 'throttled', 'unavailable', 'network', 'auth', 'not_found', 'rejected', 'no_notifier'] as const;
export type DeliveryErrorCode = (typeof DELIVERY_ERRORS)[number];
