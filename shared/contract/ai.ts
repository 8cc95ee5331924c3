import { z } from 'zod';
import {
  CIRCUIT_STATES,
  completionRequestSchema,
  completionResultSchema,
  FAULT_KINDS,
  providerConfigSchema,
  providerIdSchema,
  providerMetricsSchema,
  routingPolicySchema,
} from '../ai';
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
});

export const aiMethods = {
  'providers.list': { input: noInput, output: providersListSchema },
  'providers.update': {
    input: z.object({ provider: providerIdSchema, config: providerConfigSchema }).strict(),
    output: providerViewSchema,
  },
  'providers.setKey': {
    input: z.object({ provider: providerIdSchema, apiKey: z.string().trim().min(8).max(4096) }).strict(),
    output: z.object({ keySet: z.boolean() }),
  },
  'providers.clearKey': { input: z.object({ provider: providerIdSchema }).strict(), output: z.object({ keySet: z.boolean() }) },
  'providers.test': { input: z.object({ provider: providerIdSchema }).strict(), output: probeResultSchema },
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
