/**
 * How an alert reads outside the app (email, Slack, the OS notification centre). Those readers
 * have no locale of ours to go by, so the words are English and the money is plain dollars,
 * printed from integer micros without a float in between.
 */
import type { AlertMessage } from '../../shared/alerts';
import { formatMicros } from '../../shared/money';
import type { Notice } from '../ports/notifier';

const LEVEL_WORD = { info: 'Notice', warning: 'Warning', critical: 'Critical' } as const;

const money = (micros: number) => formatMicros(micros, { minDecimals: 2, maxDecimals: 2 });

function scopeName(alert: AlertMessage): string {
  const { scope, target, label } = alert.threshold;
  if (scope === 'global') return 'All AI spend';
  const name = label ?? target ?? '?';
  return scope === 'provider' ? `Provider ${name}` : `Campaign ${name}`;
}

export function title(alert: AlertMessage): string {
  const what =
    alert.kind === 'projected_overrun'
      ? `projected to exceed its ${alert.period.unit === 'day' ? 'daily' : 'monthly'} budget`
      : `reached ${alert.threshold.percent}% of its ${alert.period.unit === 'day' ? 'daily' : 'monthly'} budget`;
  return `${LEVEL_WORD[alert.level]}: ${scopeName(alert)} ${what}`;
}

export function amounts(alert: AlertMessage): string {
  const verb = alert.kind === 'projected_overrun' ? 'Projected' : 'Spent';
  return `${verb} ${money(alert.amountMicros)} of a ${money(alert.budgetMicros)} budget — ${alert.period.label}`;
}

/** SNS wants a subject "less than 100 characters long". */
export const SUBJECT_MAX = 99;

/**
 * The SNS subject: email clients show it as is; SNS refuses one of 100 characters or more, or with
 * line breaks or control characters. The cap counts UTF-16 units, which are never fewer than the
 * characters AWS counts, and never cuts a surrogate pair in half.
 */
export function subject(alert: AlertMessage): string {
  // eslint-disable-next-line no-control-regex
  const s = `Huntaze — ${title(alert)}`.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  if (s.length <= SUBJECT_MAX) return s;
  let cut = SUBJECT_MAX - 1;
  if (/[\uD800-\uDBFF]/.test(s.charAt(cut - 1))) cut--;
  return `${s.slice(0, cut)}…`;
}

export function emailBody(alert: AlertMessage): string {
  return [
    title(alert),
    '',
    amounts(alert),
    `Period: ${alert.period.label} (${alert.period.key})`,
    `Fired: ${new Date(alert.firedAt).toISOString()}`,
    '',
    `Open it in Huntaze: Alerts → ${alert.id} (${alert.path})`,
  ].join('\n');
}

/** Block Kit: header, amounts, period and a context line; `text` is the fallback for notifications. */
export function slackMessage(alert: AlertMessage) {
  return {
    text: `${title(alert)}. ${amounts(alert)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title(alert).slice(0, 150), emoji: false } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*${alert.kind === 'projected_overrun' ? 'Projected' : 'Spent'}*\n${money(alert.amountMicros)}` },
          { type: 'mrkdwn', text: `*Budget*\n${money(alert.budgetMicros)}` },
          { type: 'mrkdwn', text: `*Period*\n${alert.period.label}` },
          { type: 'mrkdwn', text: `*Level*\n${LEVEL_WORD[alert.level]} (${alert.threshold.percent}%)` },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Huntaze alert ${alert.id} · fired ${new Date(alert.firedAt).toISOString()}` }] },
    ],
  };
}

export function notice(alert: AlertMessage): Notice {
  return { id: alert.id, level: alert.level, title: title(alert), body: amounts(alert), path: alert.path };
}

/** What Send test delivers: shaped like a real alert so the operator sees what one will look like. */
export function testAlert(now: number): AlertMessage {
  return {
    id: `test-${now}`,
    level: 'info',
    kind: 'threshold',
    threshold: { scope: 'global', target: null, label: null, percent: 50 },
    period: { unit: 'month', key: new Date(now).toISOString().slice(0, 7), label: 'Test message — no budget was crossed' },
    amountMicros: 50_000_000,
    budgetMicros: 100_000_000,
    firedAt: now,
    path: `/alerts/test-${now}`,
  };
}
