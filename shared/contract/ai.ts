import { z } from 'zod';
import {
  CIRCUIT_STATES,
  completionRequestSchema,
  completionResultSchema,
  FAULT_KINDS,
  type ProviderConfig,
  providerConfigSchema,
  type ProviderId,
  providerIdSchema,
  providerMetricsSchema,
  routingPolicySchema,
} from '../ai';
import { setupIssues } from '../providerSetup';
import { SECRET_STORE_KINDS } from '../secrets';
import { type EventTable, type MethodTable, noInput } from './define';

const providerViewSchema = z.object({
  id: providerIdSchema,
  config: providerConfigSchema,
  /** Whether a key is stored: the key itself never crosses this boundary. */
  keySet: z.boolean(),
  configured: z.boolean(),
  circuit: z.enum(CIRCUIT_STATES),
});

const providersListSchema = z.object({
  providers: z.array(providerViewSchema),
  secretStore: z.object({ kind: z.enum(SECRET_STORE_KINDS), weaker: z.boolean() }),
  sandboxMode: z.boolean(),
});

const apiKeySchema = z.string().trim().min(8).max(4096);

/** The rules the form checks too, as issues under `at` (where the config sits in the input). */
const checkSetup = (provider: ProviderId, config: ProviderConfig, at: string[], ctx: z.RefinementCtx) => {
  for (const issue of setupIssues(provider, config)) {
    ctx.addIssue({ code: 'custom', path: [...at, ...issue.path], params: { rule: issue.rule, ...issue.params } });
  }
};

/** What went wrong on the way to the provider, for Test connection to word with a hint. */
export const PROBE_FAILURES = ['dns', 'tls', 'refused', 'timeout', 'http', 'connection'] as const;

/** What Test connection found: `connected`, why it could not try, or the fault it met. */
export const PROBE_OUTCOMES = ['connected', 'disabled', 'not_configured', ...FAULT_KINDS] as const;

const probeResultSchema = z.object({
  ok: z.boolean(),
  outcome: z.enum(PROBE_OUTCOMES),
  ms: z.number().int().nonnegative(),
  deployment: z.string().nullable(),
  baseModel: z.string().nullable(),
  /** HTTP status of a failed attempt, when one came back. */
  status: z.number().int().nullable(),
  /** The provider's own words about a failure, quoted as they came (keys redacted). */
  detail: z.string().nullable(),
  /** No price is known for this base model: the operator should set a price override. */
  unpriced: z.boolean(),
  costMicros: z.number().int().nonnegative(),
  /** For a failed attempt: where it failed, the provider's error code and the host tried. */
  failure: z.object({ reason: z.enum(PROBE_FAILURES), code: z.string().max(100).nullable(), host: z.string().max(300).nullable() }).nullable(),
});

export const aiMethods = {
  'providers.list': { input: noInput, output: providersListSchema },
  'providers.update': {
    /**
     * One Save per card: the key, when one was typed, is saved with the settings. A price far from
     * the table's is refused until `confirmPrice` says the operator meant it.
     */
    input: z
      .object({ provider: providerIdSchema, config: providerConfigSchema, apiKey: apiKeySchema.optional(), confirmPrice: z.boolean().optional() })
      .strict()
      .superRefine(({ provider, config }, ctx) => checkSetup(provider, config, ['config'], ctx)),
    output: providerViewSchema,
  },
  'providers.setKey': {
    input: z.object({ provider: providerIdSchema, apiKey: apiKeySchema }).strict(),
    output: z.object({ keySet: z.boolean() }),
  },
  'providers.clearKey': { input: z.object({ provider: providerIdSchema }).strict(), output: z.object({ keySet: z.boolean() }) },
  /**
   * With `draft`, tests the form's unsaved settings (and typed key, used once and never stored),
   * even while the provider is off; without it, the saved ones.
   */
  'providers.test': {
    input: z
      .object({ provider: providerIdSchema, draft: z.object({ config: providerConfigSchema, apiKey: apiKeySchema.optional() }).strict().optional() })
      .strict()
      .superRefine(({ provider, draft }, ctx) => draft && checkSetup(provider, draft.config, ['draft', 'config'], ctx)),
    output: probeResultSchema,
  },
  'routing.get': { input: noInput, output: routingPolicySchema },
  'routing.set': { input: routingPolicySchema, output: routingPolicySchema },
  'ai.complete': { input: completionRequestSchema, output: completionResultSchema },
  'metrics.orchestrator': {
    input: noInput,
    output: z.object({ providers: z.array(providerMetricsSchema), costTodayMicros: z.number().int().nonnegative() }),
  },
} as const satisfies MethodTable;

/** Pushed after a change other windows show, so every view of it refreshes. */
export const aiEvents = {
  /** A provider's settings or key changed: its view (key set or not, configured) is stale. */
  'providers.changed': z.object({ provider: providerIdSchema }),
  'routing.changed': routingPolicySchema,
} as const satisfies EventTable;
