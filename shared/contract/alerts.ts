import { z } from 'zod';
import { ALERT_LEVELS, ALERT_SECRETS, alertChannelSchema, alertChannelSettingsSchema, alertMessageSchema, DELIVERY_ERRORS } from '../alerts';
import { NOTICE_PATH } from '../notices';
import { type EventTable, type MethodTable, noInput } from './define';

const channelStatusSchema = z.object({
  enabled: z.boolean(),
  /** Everything it needs is set (secrets included); an unconfigured channel dead-letters what it is given. */
  configured: z.boolean(),
  pending: z.number().int().nonnegative(),
  dead: z.number().int().nonnegative(),
  lastDeliveredAt: z.number().int().nullable(),
  /** The newest dead or retrying row's error, redacted as stored. */
  lastError: z.string().nullable(),
});

const channelsViewSchema = z.object({
  settings: alertChannelSettingsSchema,
  /** Whether each secret is stored: the values never cross this boundary. */
  secrets: z.object({ aws: z.boolean(), slack: z.boolean() }),
  status: z.object({ os: channelStatusSchema, sns: channelStatusSchema, slack: channelStatusSchema }),
});

const testResultSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    code: z.enum(DELIVERY_ERRORS),
    retryable: z.boolean(),
    /** The provider's own words (an AWS error name and message, Slack's reply), redacted. */
    detail: z.string(),
    status: z.number().int().nullable(),
  }),
]);

const settingsPatchSchema = alertChannelSettingsSchema
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { params: { rule: 'at_least_one' } });

export const alertsMethods = {
  'alerts.channels': { input: noInput, output: channelsViewSchema },
  'alerts.setChannels': { input: settingsPatchSchema, output: channelsViewSchema },
  'alerts.setSecret': {
    input: z.discriminatedUnion('secret', [
      z.object({ secret: z.literal('aws'), accessKeyId: z.string().trim().min(16).max(128), secretAccessKey: z.string().trim().min(16).max(256) }).strict(),
      z.object({ secret: z.literal('slack'), webhookUrl: z.string().trim().min(1).max(500) }).strict(),
    ]),
    output: channelsViewSchema,
  },
  'alerts.clearSecret': { input: z.object({ secret: z.enum(ALERT_SECRETS) }).strict(), output: channelsViewSchema },
  'alerts.test': { input: z.object({ channel: alertChannelSchema }).strict(), output: testResultSchema },
  /** With `alertId`, only that alert's delivery on the channel (the history's Retry); without, all the channel's dead letters. */
  'alerts.retry': {
    input: z.object({ channel: alertChannelSchema, alertId: alertMessageSchema.shape.id.optional() }).strict(),
    output: z.object({ requeued: z.number().int().nonnegative() }),
  },
} as const satisfies MethodTable;

export const alertsEvents = {
  /** Channel settings or secrets changed: every window's Alert channels view is stale. */
  'alerts.channelsChanged': z.object({}),
  /**
   * An alert for this machine's operator (browser host): the page shows a toast and, where the
   * browser allows, a Notification; either opens `path`.
   */
  'alert.fired': z.object({
    id: z.string().max(120),
    level: z.enum(ALERT_LEVELS),
    title: z.string().max(300),
    body: z.string().max(500),
    // A campaign's end comes the same road as an alert: the toast opens either.
    path: z.string().regex(NOTICE_PATH),
  }),
  /** The shell's OS notification was clicked: the window shows `path`. */
  'alert.open': z.object({ path: z.string().regex(/^\/alerts\/[A-Za-z0-9_.:-]{1,120}$/) }),
} as const satisfies EventTable;
