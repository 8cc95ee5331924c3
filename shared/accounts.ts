/**
 * Creator accounts: the rules the Settings form and the core both apply, so a draft the form
 * accepts is one the core accepts. Field problems travel as issues (`path`, `code`,
 * `params.rule`) that the renderer translates.
 */
import { z } from 'zod';
import { isLoopbackHost } from './providerSetup';

export const TRANSPORT_KINDS = ['onlyfans_http', 'export', 'sandbox'] as const;
export type TransportKind = (typeof TRANSPORT_KINDS)[number];

/** A fixed palette: the renderer maps each name to a chip colour readable in both themes. */
export const ACCOUNT_COLOURS = ['rose', 'orange', 'amber', 'lime', 'emerald', 'teal', 'sky', 'indigo', 'violet', 'slate'] as const;
export type AccountColour = (typeof ACCOUNT_COLOURS)[number];

/**
 * OnlyFans throttles DMs to about 10 a minute and asks for 3 s between them; the maxima stop a
 * typo (600 a minute) from ever reaching the limiter.
 */
export const ACCOUNT_LIMITS = {
  perMinute: { min: 1, max: 60, default: 10 },
  minSpacingSeconds: { min: 1, max: 3600, default: 3 },
  burst: { min: 1, max: 10, default: 1 },
} as const;

export const MAX_ACCOUNT_NAME = 80;
/** Usernames and third-party API account ids: letters, digits, dot, underscore, dash. */
export const PLATFORM_ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MAX_API_KEY_CHARS = 4096;

const limit = (l: { min: number; max: number; default: number }) => z.number().int().min(l.min).max(l.max).default(l.default);

export const accountLimitsSchema = z
  .object({
    perMinute: limit(ACCOUNT_LIMITS.perMinute),
    minSpacingSeconds: limit(ACCOUNT_LIMITS.minSpacingSeconds),
    burst: limit(ACCOUNT_LIMITS.burst),
  })
  .strict();
export type AccountLimits = z.infer<typeof accountLimitsSchema>;

export const accountIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

const baseFields = {
  name: z.string().trim().min(1).max(MAX_ACCOUNT_NAME),
  platformAccountId: z.string().trim().refine((v) => PLATFORM_ACCOUNT_ID.test(v), { params: { rule: 'platform_account_id' } }),
  /** Omitted: the profile's default (the Sandbox's own server there, export in the live profile). */
  transport: z.enum(TRANSPORT_KINDS).optional(),
  baseUrl: z.string().trim().max(2048).superRefine(checkUrl).nullable().optional(),
  limits: accountLimitsSchema.default({
    perMinute: ACCOUNT_LIMITS.perMinute.default,
    minSpacingSeconds: ACCOUNT_LIMITS.minSpacingSeconds.default,
    burst: ACCOUNT_LIMITS.burst.default,
  }),
  colour: z.enum(ACCOUNT_COLOURS).default('sky'),
  /** Shown in the chip instead of the name's first letter. */
  initial: z.string().trim().refine((v) => /^[\p{L}\p{N}]$/u.test(v), { params: { rule: 'initial' } }).nullable().optional(),
};

/** Where the HTTP transport sends: https, or plain http only to this machine (the key travels in it). */
function checkUrl(url: string, ctx: z.RefinementCtx): void {
  if (url === '') return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    ctx.addIssue({ code: 'custom', params: { rule: 'url' } });
    return;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ctx.addIssue({ code: 'custom', params: { rule: 'url' } });
  else if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    ctx.addIssue({ code: 'custom', params: { rule: 'https_required', host: parsed.hostname } });
  }
}

/** Cross-field, so it runs once every field is well-formed: the HTTP transport needs an address. */
function checkBaseUrl(draft: { transport?: TransportKind; baseUrl?: string | null }, ctx: z.RefinementCtx): void {
  if (draft.transport === 'onlyfans_http' && !draft.baseUrl) ctx.addIssue({ code: 'custom', path: ['baseUrl'], params: { rule: 'base_url_required' } });
}

/** Create: the key is optional (export and sandbox accounts need none). */
export const accountCreateSchema = z
  .object({ ...baseFields, apiKey: z.string().min(1).max(MAX_API_KEY_CHARS).optional() })
  .strict()
  .superRefine(checkBaseUrl);
export type AccountCreate = z.input<typeof accountCreateSchema>;

/** Update replaces the whole draft (one Save); `apiKey` omitted keeps the key, null clears it. */
export const accountUpdateSchema = z
  .object({ id: accountIdSchema, ...baseFields, apiKey: z.string().min(1).max(MAX_API_KEY_CHARS).nullable().optional() })
  .strict()
  .superRefine(checkBaseUrl);
export type AccountUpdate = z.input<typeof accountUpdateSchema>;

/** What crosses to the renderer: whether a key is set, never the key. */
export const accountSchema = z.object({
  id: accountIdSchema,
  name: z.string(),
  platformAccountId: z.string(),
  transport: z.enum(TRANSPORT_KINDS),
  baseUrl: z.string().nullable(),
  limits: z.object({ perMinute: z.number().int(), minSpacingSeconds: z.number().int(), burst: z.number().int() }),
  colour: z.enum(ACCOUNT_COLOURS),
  initial: z.string().nullable(),
  apiKeySet: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Account = z.infer<typeof accountSchema>;
