import { z } from 'zod';
import { budgetModelSchema } from '../budgets';
import { type EventTable, type MethodTable, noInput } from './define';

/** The team's budgets as one seat sees them: the shared item, or this seat's copy of it offline. */
export const teamBudgetsViewSchema = z
  .object({
    model: budgetModelSchema,
    /** 0 until a seat first saves; a save names the version it was edited from. */
    version: z.number().int().nonnegative(),
    /** The seat that saved last (its id, never its keys). */
    updatedBy: z.string().nullable(),
    updatedAt: z.number().int().nonnegative().nullable(),
  })
  .strict();
export type TeamBudgetsView = z.infer<typeof teamBudgetsViewSchema>;

/** `ok`: read from the team now; `offline`: DynamoDB did not answer, the copy is shown; the rest: why the team layer is not in use. */
export const TEAM_BUDGET_STATUSES = ['ok', 'offline', 'disabled', 'not_configured', 'no_keys', 'secrets_unreadable'] as const;

export const teamBudgetsStateSchema = z
  .object({
    status: z.enum(TEAM_BUDGET_STATUSES),
    budgets: teamBudgetsViewSchema,
  })
  .strict();
export type TeamBudgetsState = z.infer<typeof teamBudgetsStateSchema>;

export const teamBudgetsMethods = {
  'teamBudgets.get': { input: noInput, output: teamBudgetsStateSchema },
  /**
   * Replaces the team's whole model, edited from `baseVersion`. Another seat saved in between:
   * `conflict` / `team_budgets_conflict` (read again, re-apply, save). Team not reachable:
   * `unavailable` / `team_unavailable`.
   */
  'teamBudgets.set': {
    input: z.object({ model: budgetModelSchema, baseVersion: z.number().int().nonnegative() }).strict(),
    output: teamBudgetsStateSchema,
  },
} as const satisfies MethodTable;

export const teamBudgetsEvents = {
  /** This seat saved the team budgets or read newer ones. */
  'teamBudgets.changed': teamBudgetsStateSchema,
} as const satisfies EventTable;
