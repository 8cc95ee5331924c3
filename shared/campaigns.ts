/**
 * Campaigns: the rules the composer and the core both apply. A draft may be incomplete (drafts
 * autosave as the operator types); `ready` requires completeness, reported as field issues
 * (`path`, `code: 'custom'`, `params.rule`) like shared/accounts.ts does. The state machine is
 * the one table below: the store and the renderer's buttons both read it.
 */
import { z } from 'zod';
import { accountIdSchema } from './accounts';
import { segmentSchema } from './audiences';
import type { Issue } from './result';
import { MAX_TEMPLATE_CHARS, parseTemplate } from './template';

export const CAMPAIGN_TYPES = ['mass_message', 'ppv_offer', 'welcome', 're_engagement', 'custom'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

export const CAMPAIGN_STATES = ['draft', 'ready', 'queued', 'sending', 'paused', 'done', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** Template only; AI per fan in batches over a cached prefix; AI writes 2–4 variants for an A/B split. */
export const PERSONALIZATION_MODES = ['template', 'ai_batched', 'ai_variants'] as const;
export type PersonalizationMode = (typeof PERSONALIZATION_MODES)[number];
export const VARIANTS = { min: 2, max: 4, default: 2 } as const;

export const RECIPIENT_STATUSES = ['pending', 'generated', 'blocked', 'queued', 'sent', 'failed', 'unknown'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];
export const MESSAGE_SOURCES = ['ai', 'template'] as const;
export type MessageSource = (typeof MESSAGE_SOURCES)[number];

/**
 * Every allowed move. `ready → draft`: editing a ready campaign sends it back to draft, since
 * what was checked is no longer what will go. `paused → queued` resumes a campaign paused
 * before its first send. done and cancelled are final.
 */
export const CAMPAIGN_TRANSITIONS: Readonly<Record<CampaignState, readonly CampaignState[]>> = {
  draft: ['ready', 'cancelled'],
  ready: ['draft', 'queued', 'cancelled'],
  queued: ['sending', 'paused', 'cancelled'],
  sending: ['paused', 'done', 'cancelled'],
  paused: ['sending', 'queued', 'cancelled'],
  done: [],
  cancelled: [],
};

export const canTransition = (from: CampaignState, to: CampaignState): boolean => CAMPAIGN_TRANSITIONS[from].includes(to);

/** Where the composer may still change content. */
export const EDITABLE_STATES: readonly CampaignState[] = ['draft', 'ready'];
/** A campaign on its way out is never hidden: archiving waits until it is settled or not started. */
export const ARCHIVABLE_STATES: readonly CampaignState[] = ['draft', 'ready', 'done', 'cancelled'];

export const MAX_CAMPAIGN_NAME = 120;
/** What autosave accepts: well past the template limit, so an over-long draft is kept and flagged, not lost. */
export const MAX_DRAFT_TEMPLATE_CHARS = MAX_TEMPLATE_CHARS * 4;
export const MAX_MEDIA_REFS = 20;
/** OnlyFans PPV prices run from $3 to $200; the cap stops a typo, the platform checks the floor. */
export const MAX_PPV_PRICE_MICROS = 1_000_000_000;
export const MAX_PERSONA_CHARS = 2000;
export const MAX_VOICE_CHARS = 500;

export const campaignIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
const mediaRefSchema = z.string().trim().min(1).max(200);

/**
 * The audience is a segment of the campaign's account (shared/audiences.ts): the same data the
 * picker counts live is what selects the recipients at generation, so the two never disagree.
 */
export const campaignAudienceSchema = segmentSchema;

/** Every content field, each checked on its own; any may be absent from a draft. */
const draftFields = {
  name: z.string().trim().min(1).max(MAX_CAMPAIGN_NAME),
  type: z.enum(CAMPAIGN_TYPES),
  accountId: accountIdSchema.nullable(),
  audience: campaignAudienceSchema.nullable(),
  template: z.string().max(MAX_DRAFT_TEMPLATE_CHARS),
  /** PPV offers only; integer micro-dollars. */
  priceMicros: z.number().int().min(0).max(MAX_PPV_PRICE_MICROS).nullable(),
  mediaRefs: z.array(mediaRefSchema).max(MAX_MEDIA_REFS),
  personalization: z.enum(PERSONALIZATION_MODES),
  /** A/B variants (ai_variants only). */
  variants: z.number().int().min(VARIANTS.min).max(VARIANTS.max),
  /** Epoch ms; null sends as soon as approved. */
  startAt: z.number().int().min(0).nullable(),
};

/** Create: a name and a type are enough; the rest defaults to an empty draft. */
export const campaignCreateSchema = z
  .object({
    name: draftFields.name,
    type: draftFields.type.default('mass_message'),
    accountId: draftFields.accountId.default(null),
    audience: draftFields.audience.default(null),
    template: draftFields.template.default(''),
    priceMicros: draftFields.priceMicros.default(null),
    mediaRefs: draftFields.mediaRefs.default([]),
    personalization: draftFields.personalization.default('template'),
    variants: draftFields.variants.default(VARIANTS.default),
    startAt: draftFields.startAt.default(null),
  })
  .strict();
export type CampaignCreate = z.input<typeof campaignCreateSchema>;

/** Autosave: only the fields given change. */
export const campaignUpdateSchema = z
  .object({
    id: campaignIdSchema,
    name: draftFields.name.optional(),
    type: draftFields.type.optional(),
    accountId: draftFields.accountId.optional(),
    audience: draftFields.audience.optional(),
    template: draftFields.template.optional(),
    priceMicros: draftFields.priceMicros.optional(),
    mediaRefs: draftFields.mediaRefs.optional(),
    personalization: draftFields.personalization.optional(),
    variants: draftFields.variants.optional(),
    startAt: draftFields.startAt.optional(),
  })
  .strict();
export type CampaignUpdate = z.input<typeof campaignUpdateSchema>;

export const campaignSchema = z.object({
  id: campaignIdSchema,
  name: z.string(),
  type: z.enum(CAMPAIGN_TYPES),
  accountId: z.string().nullable(),
  audience: segmentSchema.nullable(),
  template: z.string(),
  priceMicros: z.number().int().nullable(),
  mediaRefs: z.array(z.string()),
  personalization: z.enum(PERSONALIZATION_MODES),
  variants: z.number().int(),
  startAt: z.number().int().nullable(),
  state: z.enum(CAMPAIGN_STATES),
  archived: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  stateChangedAt: z.number().int(),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const MAX_LIST_PAGE = 200;
export const campaignListSchema = z
  .object({
    states: z.array(z.enum(CAMPAIGN_STATES)).max(CAMPAIGN_STATES.length).optional(),
    /** Matches the name or the template text, case-insensitively. */
    search: z.string().trim().max(200).optional(),
    /** false (default): the working list; true: the archive only. */
    archived: z.boolean().default(false),
    limit: z.number().int().min(1).max(MAX_LIST_PAGE).default(50),
    /** The previous page's `nextCursor`. */
    cursor: campaignIdSchema.optional(),
  })
  .strict();
export type CampaignListQuery = z.input<typeof campaignListSchema>;

export const campaignPageSchema = z.object({ items: z.array(campaignSchema), nextCursor: campaignIdSchema.nullable() });
export type CampaignPage = z.infer<typeof campaignPageSchema>;

export const personaSchema = z.object({
  accountId: accountIdSchema,
  /** Who the creator is, for the AI: age range, interests, what fans come for. */
  persona: z.string().trim().max(MAX_PERSONA_CHARS),
  /** How she writes: tone, emoji, length, language. */
  voice: z.string().trim().max(MAX_VOICE_CHARS),
});
export type Persona = z.infer<typeof personaSchema>;
export const personaOutputSchema = personaSchema.extend({ updatedAt: z.number().int().nullable() });
export type PersonaWithTime = z.infer<typeof personaOutputSchema>;

export const fanIdSchema = z.string().min(1).max(128);

/** One row of the per-recipient table. */
export const recipientSchema = z.object({
  fanId: fanIdSchema,
  status: z.enum(RECIPIENT_STATUSES),
  /** blocked: the restricted word; failed: the send's reason. */
  reason: z.string().nullable(),
  text: z.string().nullable(),
  source: z.enum(MESSAGE_SOURCES).nullable(),
  /** A/B: which variant (0-based). */
  variant: z.number().int().min(0).max(VARIANTS.max - 1).nullable(),
  sendId: z.string().nullable(),
  updatedAt: z.number().int(),
});
export type Recipient = z.infer<typeof recipientSchema>;
export const recipientPageSchema = z.object({ items: z.array(recipientSchema), nextCursor: fanIdSchema.nullable() });
export type RecipientPage = z.infer<typeof recipientPageSchema>;
export const recipientCountsSchema = z.object(Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, z.number().int().min(0)])) as Record<RecipientStatus, z.ZodNumber>);
export type RecipientCounts = z.infer<typeof recipientCountsSchema>;

const issue = (path: string, rule: string, params: Issue['params'] = {}): Issue => ({ path: [path], code: 'custom', params: { rule, ...params } });

/**
 * What keeps a campaign from `ready`; empty when complete. Whether the account still exists
 * is the store's check (it needs the database). `now` places a scheduled start in the past.
 */
export function readinessIssues(c: Campaign, now: number): Issue[] {
  const out: Issue[] = [];
  if (c.accountId === null) out.push(issue('accountId', 'required'));
  if (c.audience === null) out.push(issue('audience', 'required'));
  if (c.template.trim() === '') out.push(issue('template', 'required'));
  else {
    for (const p of parseTemplate(c.template).problems) {
      out.push(issue('template', 'template', { problem: p.code, start: p.start, end: p.end, ...(p.suggestion ? { suggestion: p.suggestion } : {}) }));
    }
  }
  if (c.type === 'ppv_offer') {
    if (c.priceMicros === null || c.priceMicros <= 0) out.push(issue('priceMicros', 'ppv_price_required'));
    if (c.mediaRefs.length === 0) out.push(issue('mediaRefs', 'ppv_media_required'));
  }
  if (c.startAt !== null && c.startAt < now) out.push(issue('startAt', 'start_in_past'));
  return out;
}

export const MAX_PREVIEW = 20;
export const campaignPreviewInputSchema = z.object({ id: campaignIdSchema, limit: z.number().int().min(1).max(MAX_PREVIEW).default(5) }).strict();
export type CampaignPreviewInput = z.input<typeof campaignPreviewInputSchema>;

/**
 * What generating the whole audience would cost, counted before any call: the prompt the
 * generator would send, tokenized with the orchestrator's tokenizer and priced by its price
 * table. `priced` is false when no provider resolves (or its model is unpriced): tokens stand, cost is 0.
 */
export const costEstimateSchema = z.object({
  requests: z.number().int().min(0),
  inputTokens: z.number().int().min(0),
  cachedInputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  costMicros: z.number().int().min(0),
  priced: z.boolean(),
});
export type CostEstimate = z.infer<typeof costEstimateSchema>;

export const campaignPreviewSchema = z.object({
  /** Fans in the audience now. */
  total: z.number().int().min(0),
  /** The first fans (by fan id, with the name the operator knows them by), each with the template rendered for them. */
  items: z.array(z.object({ fanId: z.string(), fanName: z.string().nullable(), text: z.string() })),
  /** null in template-only mode: no AI, no cost. */
  estimate: costEstimateSchema.nullable(),
});
export type CampaignPreview = z.infer<typeof campaignPreviewSchema>;

/** Why the template wrote messages AI was asked for: no provider answered, the budget is spent, a refusal, replies garbled past the retries, the team's cap is reached. */
export const AI_FALLBACK_REASONS = ['unreachable', 'budget', 'refused', 'garbled', 'team_budget'] as const;
export type AiFallbackReason = (typeof AI_FALLBACK_REASONS)[number];

/** Generation as it stands now (AI modes): whether a run is on, waiting for an AI provider, and until when. */
export const generationStateSchema = z.object({
  running: z.boolean(),
  /** No provider answers: the run keeps what it wrote and probes again at `retryAt` (wall ms). */
  waitingForAi: z.boolean(),
  retryAt: z.number().int().nullable(),
  /** The main reason the template wrote messages (read from the recipients, so it survives a restart); null when it wrote none for AI. */
  fallback: z.enum(AI_FALLBACK_REASONS).nullable(),
});
export type GenerationState = z.infer<typeof generationStateSchema>;

/** A/B: one variant's recipients per status (variant 0 is A) and the AI cost of the requests that wrote for it (integer micro-dollars, from the ledger). */
export const variantCountsSchema = z.object({ variant: z.number().int().min(0).max(VARIANTS.max - 1), counts: recipientCountsSchema, costMicros: z.number().int().min(0) });
export type VariantCounts = z.infer<typeof variantCountsSchema>;

export const campaignStatusSchema = z.object({
  id: campaignIdSchema,
  state: z.enum(CAMPAIGN_STATES),
  counts: recipientCountsSchema,
  total: z.number().int().min(0),
  /** Share of recipients settled (sent, failed, unknown or blocked), 0 to 1. */
  progress: z.number().min(0).max(1),
  /** AI modes: recipients whose message the template wrote because AI could not (unreachable, over budget, refused, garbled). */
  fromTemplate: z.number().int().min(0),
  /** Wall ms the last queued send should go, from the account's queue, rate and next free slot; null when nothing waits on the limiter. */
  etaAt: z.number().int().nullable(),
  generation: generationStateSchema,
  /** ai_variants: one entry per variant with a message, by variant; empty otherwise. */
  variants: z.array(variantCountsSchema),
});
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

/** One row of the campaigns list: `campaigns.status` without its counts, plus the spend so far. */
export const campaignSummarySchema = z.object({
  id: campaignIdSchema,
  state: z.enum(CAMPAIGN_STATES),
  total: z.number().int().min(0),
  progress: z.number().min(0).max(1),
  fromTemplate: z.number().int().min(0),
  costMicros: z.number().int().min(0),
  etaAt: z.number().int().nullable(),
});
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;
/**
 * The per-recipient table reads rows by position (a virtual list asks for the rows in view), so
 * a page is `offset` + `limit` over the filtered recipients by fan id, with the filtered total.
 */
export const MAX_RECIPIENT_ROWS = 1000;
export const recipientRowsInputSchema = z
  .object({
    id: campaignIdSchema,
    /** Only these statuses; absent or empty: every recipient. */
    statuses: z.array(z.enum(RECIPIENT_STATUSES)).max(RECIPIENT_STATUSES.length).optional(),
    offset: z.number().int().min(0).max(10_000_000).default(0),
    limit: z.number().int().min(1).max(MAX_RECIPIENT_ROWS).default(100),
  })
  .strict();
export type RecipientRowsInput = z.input<typeof recipientRowsInputSchema>;
/** A recipient with who the fan is (from the account's fans; null when the fan was since removed or never named). */
export const recipientRowSchema = recipientSchema.extend({ fanName: z.string().nullable(), fanDisplayName: z.string().nullable() });
export type RecipientRow = z.infer<typeof recipientRowSchema>;
export const recipientRowsSchema = z.object({
  items: z.array(recipientRowSchema),
  offset: z.number().int().min(0),
  /** Recipients matching the filter, all pages together. */
  total: z.number().int().min(0),
});
export type RecipientRows = z.infer<typeof recipientRowsSchema>;
