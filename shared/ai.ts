/** AI orchestration domain: what the renderer and main agree on. Money is integer micro-dollars. */
import { z } from 'zod';
import { MAX_MESSAGE_CHARS, MAX_MESSAGES, MAX_PROMPT_CHARS, MAX_ROUTE_KEY_CHARS, MAX_ROUTES, MAX_SCHEMA_CHARS } from './limits';

export const PROVIDER_IDS = ['azure', 'openai', 'local'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
export const providerIdSchema = z.enum(PROVIDER_IDS);

/** The Azure OpenAI data-plane API version used when a deployment names none: the latest GA one. */
export const AZURE_API_VERSION = '2024-10-21';

export const PURPOSES = ['personalize', 'copy', 'reply', 'analysis'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const MODEL_CLASSES = ['premium', 'standard', 'economy'] as const;
export type ModelClass = (typeof MODEL_CLASSES)[number];

export const CAMPAIGN_TYPES = ['mass_message', 'ppv_offer', 'welcome', 're_engagement', 'custom'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

/** How an Azure deployment is placed, which sets its price: global is the list price, data zone and regional cost more. */
export const DEPLOYMENT_TYPES = ['global', 'data_zone', 'regional'] as const;
export type DeploymentType = (typeof DEPLOYMENT_TYPES)[number];

/** Where a cost's price came from: the maintained table, an operator's override, or nowhere (charged 0). */
export const PRICE_SOURCES = ['table', 'override', 'unpriced'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

/** Why an attempt failed, as the orchestrator classifies provider replies. */
export const FAULT_KINDS = [
  'rate_limited',
  'quota_exhausted',
  'unauthorized',
  'server_error',
  'timeout',
  'connection',
  'content_filter',
  'stream_dropped',
  'bad_request',
  'circuit_open',
  'not_configured',
  /** The caller cancelled (a paused campaign, a closing profile): not the provider's fault. */
  'cancelled',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const micros = z.number().int().nonnegative();
const tokens = z.number().int().nonnegative();

/** Dollars per million tokens, as integer micro-dollars per million tokens (2.5 $/Mtok → 2_500_000). */
export const priceOverrideSchema = z
  .object({ inputPerMtok: micros, cachedInputPerMtok: micros, outputPerMtok: micros })
  .strict();
export type PriceOverride = z.infer<typeof priceOverrideSchema>;

const endpointSchema = z
  .url({ protocol: /^https?$/ })
  .max(500);

/** Non-secret provider settings. The API key lives in the SecretStore; here only whether it is set. */
export const providerConfigSchema = z
  .object({
    enabled: z.boolean(),
    /** Azure: https://NAME.openai.azure.com; OpenAI: optional base URL; local: e.g. http://127.0.0.1:11434/v1 */
    endpoint: z.union([endpointSchema, z.literal('')]),
    /** Azure deployment name (≠ model name); for OpenAI and local, the model id sent. */
    deployment: z.string().trim().max(200),
    apiVersion: z.string().trim().max(40),
    /** The model the deployment runs, which is what prices are keyed by. */
    baseModel: z.string().trim().max(200),
    /** Per model class, the deployment/model to use; falls back to `deployment`. */
    classModels: z.partialRecord(
      z.enum(MODEL_CLASSES),
      z
        .object({
          deployment: z.string().trim().min(1).max(200),
          baseModel: z.string().trim().min(1).max(200),
          /** Per-deployment price, e.g. an Azure PTU or negotiated rate. */
          priceOverride: priceOverrideSchema.nullable().optional(),
        })
        .strict(),
    ),
    priceOverride: priceOverrideSchema.nullable(),
    /** Azure only; absent reads as global, what settings saved before this field existed were priced at. */
    deploymentType: z.enum(DEPLOYMENT_TYPES).optional(),
    /** The operator chose to run a base model the price table does not know, costed at $0. */
    acceptUnpriced: z.boolean().optional(),
    firstByteTimeoutMs: z.number().int().min(100).max(120_000),
    totalTimeoutMs: z.number().int().min(100).max(600_000),
  })
  .strict();
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

export const routeStepSchema = z
  .object({
    provider: providerIdSchema,
    modelClass: z.enum(MODEL_CLASSES),
    /** Skip this step when the budget is in this state or worse. */
    skipWhenBudget: z.enum(['warning', 'exceeded']).optional(),
  })
  .strict();
export type RouteStep = z.infer<typeof routeStepSchema>;

export const routingPolicySchema = z
  .object({
    /** Ordered steps by `${campaignType}:${purpose}`, `*:${purpose}`, `${campaignType}:*` or `*:*`. */
    routes: z
      .record(z.string().max(MAX_ROUTE_KEY_CHARS).regex(/^[a-z_*]+:[a-z_*]+$/), z.array(routeStepSchema).min(1).max(8))
      .refine((routes) => Object.keys(routes).length <= MAX_ROUTES, { params: { rule: 'max_routes', maximum: MAX_ROUTES } }),
    maxAttemptsPerProvider: z.number().int().min(1).max(5),
    /** Content-filter refusals are returned to the operator unless this says to try the next route. */
    onContentFilter: z.enum(['refuse', 'fallback']),
    // Budgets (hard limits) live in the one budget model, shared/budgets.ts, not here.
  })
  .strict();
export type RoutingPolicy = z.infer<typeof routingPolicySchema>;

export const chatMessageSchema = z
  .object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().max(MAX_MESSAGE_CHARS) })
  .strict();

/** A JSON schema the reply must follow (Chat Completions `response_format`); passed on as given, checked by the provider. */
export const responseFormatSchema = z
  .object({
    type: z.literal('json_schema'),
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    // Bounded so a request with a schema still fits the browser host's frame envelope.
    schema: z
      .record(z.string(), z.unknown())
      .refine((schema) => JSON.stringify(schema).length <= MAX_SCHEMA_CHARS, { params: { rule: 'max_schema_chars', maximum: MAX_SCHEMA_CHARS } }),
    strict: z.boolean(),
  })
  .strict();
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

export const completionRequestSchema = z
  .object({
    purpose: z.enum(PURPOSES),
    campaignType: z.enum(CAMPAIGN_TYPES).optional(),
    campaignId: z.string().min(1).max(100).optional(),
    operatorId: z.string().min(1).max(100).optional(),
    messages: z
      .array(chatMessageSchema)
      .min(1)
      .max(MAX_MESSAGES)
      // The browser host's frame limit is derived from this total: every valid request fits in one frame.
      .refine((messages) => messages.reduce((n, m) => n + m.content.length, 0) <= MAX_PROMPT_CHARS, {
        params: { rule: 'max_prompt_chars', maximum: MAX_PROMPT_CHARS },
      }),
    modelClass: z.enum(MODEL_CLASSES),
    maxOutputTokens: z.number().int().min(1).max(32_000),
    stream: z.boolean(),
    /** Chosen by the window that sends: streamed text is announced as `ai.delta` events under this id. */
    streamId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/).optional(),
    /** Structured output: the reply is JSON valid against this schema. */
    responseFormat: responseFormatSchema.optional(),
  })
  .strict();
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

export const usageSchema = z.object({ inputTokens: tokens, cachedInputTokens: tokens, outputTokens: tokens });
export type Usage = z.infer<typeof usageSchema>;

export const attemptSchema = z.object({
  provider: providerIdSchema,
  deployment: z.string(),
  baseModel: z.string(),
  /** HTTP status when one came back; `outcome` says what it meant. */
  status: z.number().int().nullable(),
  outcome: z.union([z.literal('ok'), z.enum(FAULT_KINDS)]),
  message: z.string().optional(),
  ms: z.number().int().nonnegative(),
  /** How long the orchestrator waited before this attempt (backoff or retry-after). */
  waitedMs: z.number().int().nonnegative(),
  usage: usageSchema.nullable(),
  costMicros: micros,
});
export type Attempt = z.infer<typeof attemptSchema>;

/** One provider's share of an all-failed outcome: its last fault (or why it was passed over), its HTTP status and how many tries it got. */
export const providerFailureSchema = z.object({
  provider: providerIdSchema,
  kind: z.enum([...FAULT_KINDS, 'disabled', 'budget_exceeded']),
  status: z.number().int().nullable(),
  tries: z.number().int().nonnegative(),
});
export type ProviderFailure = z.infer<typeof providerFailureSchema>;

/** A `budget_exceeded` refusal's detail when the team's cap (not this seat's budget) stood in the way. */
export const TEAM_BUDGET_DETAIL = 'team_budget';

export const completionResultSchema = z.object({
  requestId: z.string(),
  outcome: z.enum(['ok', 'refused', 'failed']),
  text: z.string(),
  finishReason: z.string().nullable(),
  usage: usageSchema,
  costMicros: micros,
  provider: providerIdSchema.nullable(),
  deployment: z.string().nullable(),
  baseModel: z.string().nullable(),
  attempts: z.array(attemptSchema),
  /** Route steps passed over without an HTTP attempt, and why. */
  skipped: z.array(z.object({ provider: providerIdSchema, modelClass: z.enum(MODEL_CLASSES), reason: z.enum(['disabled', 'not_configured', 'circuit_open', 'budget']) })),
  servedByFallback: z.boolean(),
  downgraded: z.boolean(),
  /**
   * For `refused` and `failed`: the kind the renderer words, the provider concerned, and the
   * provider's own words (content-filter categories, an upstream message) quoted as they came.
   * `internal`: the reply came but its cost could not be recorded; text and cost are kept here.
   */
  error: z
    .object({
      kind: z.enum([...FAULT_KINDS, 'budget_exceeded', 'internal']),
      provider: providerIdSchema.nullable(),
      detail: z.string().nullable(),
    })
    .nullable(),
  /** When nobody served: each provider on the route, in order, with what stopped it; the renderer words each. */
  failures: z.array(providerFailureSchema),
  /** The class asked for and the class of the step that served; a cheaper one is shown to the operator. */
  requestedClass: z.enum(MODEL_CLASSES),
  servedClass: z.enum(MODEL_CLASSES).nullable(),
  /** Refused after part of the reply had arrived (a content filter mid-stream): `text` is that part. */
  partial: z.boolean(),
});
export type CompletionResult = z.infer<typeof completionResultSchema>;

export const CIRCUIT_STATES = ['closed', 'open', 'half_open', 'isolated'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export const providerHealthSchema = z.object({
  provider: providerIdSchema,
  enabled: z.boolean(),
  configured: z.boolean(),
  circuit: z.enum(CIRCUIT_STATES),
  /** When the circuit last opened (while not closed), by the core's clock. */
  openedAt: z.number().int().nullable(),
  /** While open: from when the next request may probe the provider. Counted down against `readAt`, not the window's clock. */
  nextProbeAt: z.number().int().nullable(),
  /** The core's clock when this was read. */
  readAt: z.number().int(),
  /** The operator who last closed the circuit by hand, and when. */
  lastReset: z.object({ by: z.string(), at: z.number().int() }).nullable(),
  lastError: z.object({ kind: z.enum(FAULT_KINDS), message: z.string(), at: z.number().int() }).nullable(),
  p50Ms: z.number().nonnegative().nullable(),
  p95Ms: z.number().nonnegative().nullable(),
});
export type ProviderHealth = z.infer<typeof providerHealthSchema>;

export const providerMetricsSchema = z.object({
  provider: providerIdSchema,
  requests: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  fallbacks: z.number().int().nonnegative(),
  p50Ms: z.number().nonnegative().nullable(),
  p95Ms: z.number().nonnegative().nullable(),
  p99Ms: z.number().nonnegative().nullable(),
  costTodayMicros: micros,
});
export type ProviderMetrics = z.infer<typeof providerMetricsSchema>;
