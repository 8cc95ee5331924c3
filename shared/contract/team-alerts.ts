import { z } from 'zod';
import { ALERT_KINDS, ALERT_LEVELS } from '../alerts';
import { type MethodTable, noInput } from './define';

/** `ok`: read from the team now; `offline`: DynamoDB did not answer; `sandbox`: the team is never read in Sandbox mode; the rest: why the team layer is not in use. */
export const TEAM_ALERT_LIST_STATUSES = ['ok', 'offline', 'table_missing', 'sandbox', 'disabled', 'not_configured', 'no_keys', 'secrets_unreadable'] as const;

export const teamAlertRowSchema = z
  .object({
    id: z.string(),
    level: z.enum(ALERT_LEVELS),
    kind: z.enum(ALERT_KINDS),
    /** A team budget (claimed once per team) or one seat's own budget. */
    team: z.boolean(),
    percent: z.number().int(),
    periodLabel: z.string(),
    amountMicros: z.number().int().nonnegative(),
    budgetMicros: z.number().int().nonnegative(),
    firedAt: z.number().int().nonnegative(),
    /** The seat that fired it (its id, never its keys) and its operator's name when known. */
    seat: z.string(),
    operator: z.string().nullable(),
    thisSeat: z.boolean(),
    acknowledgedAt: z.number().int().nonnegative().nullable(),
  })
  .strict();
export type TeamAlertRow = z.infer<typeof teamAlertRowSchema>;

export const teamAlertListSchema = z
  .object({
    status: z.enum(TEAM_ALERT_LIST_STATUSES),
    /** The agency's current month (`2026-11`): the one partition read. */
    month: z.string(),
    /** Newest first, at most 100. */
    alerts: z.array(teamAlertRowSchema),
    /** Items that failed their schema: left out, counted so the page can say so. */
    skipped: z.number().int().nonnegative(),
  })
  .strict();
export type TeamAlertList = z.infer<typeof teamAlertListSchema>;

/** The whole team's alerts of this month from `{prefix}-cost-alerts` (one Query). */
export const teamAlertsMethods = {
  'team.alerts': { input: noInput, output: teamAlertListSchema },
} as const satisfies MethodTable;
