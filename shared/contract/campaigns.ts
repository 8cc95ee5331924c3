import { z } from 'zod';
import { accountIdSchema } from '../accounts';
import {
  campaignCreateSchema,
  campaignIdSchema,
  campaignListSchema,
  campaignPreviewInputSchema,
  campaignPreviewSchema,
  campaignPageSchema,
  campaignSchema,
  campaignStatusSchema,
  campaignSummarySchema,
  campaignUpdateSchema,
  MAX_LIST_PAGE,
  MAX_CAMPAIGN_NAME,
  personaOutputSchema,
  personaSchema,
  recipientRowsInputSchema,
  recipientRowsSchema,
} from '../campaigns';
import { campaignCostsSchema } from '../costs';
import { MAX_COST_ID_CHARS } from '../limits';
import type { EventTable, MethodTable } from './define';

const byId = z.object({ id: campaignIdSchema }).strict();

/** Campaigns and creator personas of the active profile (the Sandbox has its own). */
export const campaignsMethods = {
  'campaigns.costs': { input: z.object({ campaignId: z.string().min(1).max(MAX_COST_ID_CHARS) }).strict(), output: campaignCostsSchema },
  /** A new draft; only a name is required. */
  'campaigns.create': { input: campaignCreateSchema, output: campaignSchema },
  /** Newest first, paged by `cursor`; archived ones only when asked. */
  'campaigns.list': { input: campaignListSchema, output: campaignPageSchema },
  'campaigns.get': { input: byId, output: campaignSchema },
  /** Autosave of a (possibly incomplete) draft: the fields given change. Only in draft or ready (ready goes back to draft). */
  'campaigns.update': { input: campaignUpdateSchema, output: campaignSchema },
  /** A new draft with the same content (not its recipients, state or archive flag); `name` lets the composer word "(copy)". */
  'campaigns.duplicate': { input: z.object({ id: campaignIdSchema, name: z.string().trim().min(1).max(MAX_CAMPAIGN_NAME).optional() }).strict(), output: campaignSchema },
  /** Hide from (true) or bring back to (false) the working list; refused while queued, sending or paused. */
  'campaigns.archive': { input: z.object({ id: campaignIdSchema, archived: z.boolean().default(true) }).strict(), output: campaignSchema },
  /** The first fans rendered with the template and, for AI modes, the whole audience's estimated cost; no AI call, works offline. */
  'campaigns.preview': { input: campaignPreviewInputSchema, output: campaignPreviewSchema },
  /** draft or ready → ready, then generation runs in the background (progress: `campaigns.progress`); fans already generated are kept. */
  'campaigns.generate': { input: byId, output: campaignSchema },
  /** ready → queued once every fan has a message: the generated ones become sends of the campaign's job (idempotent per fan). */
  'campaigns.approve': { input: byId, output: campaignSchema },
  'campaigns.pause': { input: byId, output: campaignSchema },
  'campaigns.resume': { input: byId, output: campaignSchema },
  /** Stops generation and every send not yet gone; final. */
  'campaigns.cancel': { input: byId, output: campaignSchema },
  /** Counts per recipient status, progress and an ETA from the limiter. */
  'campaigns.status': { input: byId, output: campaignStatusSchema },
  'personas.get': { input: z.object({ accountId: accountIdSchema }).strict(), output: personaOutputSchema },
  'personas.set': { input: personaSchema.strict(), output: personaOutputSchema },
  /** Stop waiting for an unreachable AI provider: the template writes the fans still pending (ready only). */
  'campaigns.useTemplate': { input: byId, output: campaignSchema },
  /** The list's rows at once: progress, spend so far and ETA per campaign; unknown ids are left out. */
  'campaigns.summaries': {
    input: z.object({ ids: z.array(campaignIdSchema).max(MAX_LIST_PAGE) }).strict(),
    output: z.array(campaignSummarySchema),
  },
  /** A page of the per-recipient table by position (fan id order), filtered by status, with the filtered total and each fan's names. */
  'campaigns.recipients': { input: recipientRowsInputSchema, output: recipientRowsSchema },
} as const satisfies MethodTable;

export const campaignsEvents = {
  /** The shell opens a campaign's page (a `huntaze://campaign/<id>` link or a notification's click). */
  'campaign.open': z.object({ path: z.string().regex(/^\/campaigns\/[A-Za-z0-9-]{1,64}$/) }),
  /** A campaign was created, edited, duplicated, archived or moved state (null: the whole list, e.g. after a profile switch). */
  'campaigns.changed': z.object({ id: campaignIdSchema.nullable() }),
  /** Generation or sending moved: done of total (generate: messages written; send: recipients settled); how many the template wrote because AI could not. */
  'campaigns.progress': z.object({
    id: campaignIdSchema,
    phase: z.enum(['generate', 'send']),
    done: z.number().int().min(0),
    total: z.number().int().min(0),
    fromTemplate: z.number().int().min(0),
    fallback: z.enum(['unreachable', 'budget', 'refused', 'garbled', 'team_budget']).nullable(),
    finished: z.boolean(),
    /** generate: no AI provider answers; the run waits and probes again at `retryAt` (wall ms). Absent on send progress. */
    waitingForAi: z.boolean().optional(),
    retryAt: z.number().int().nullable().optional(),
  }),
  /** The shell's menu asks the page for a command it runs itself (File → New campaign: the same action as Ctrl/Cmd+N). */
  'app.command': z.object({ command: z.enum(['new-campaign']) }),
} as const satisfies EventTable;
