/**
 * The shape every contract method returns. Nothing throws across the process boundary:
 * failures travel as data with a kind from a closed list, so callers can switch on it, and a
 * message code with parameters that the renderer translates. No English sentence crosses.
 */
import { z } from 'zod';

export const ERROR_KINDS = [
  'invalid_input',
  'unknown_method',
  'not_found',
  'conflict',
  'unavailable',
  'forbidden',
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Every message code an error may carry; the renderer has a translation for each (`errors.<code>`). */
export const ERROR_CODES = [
  'unknown_method',
  'invalid_input',
  'internal',
  'host_unreachable',
  'connection_lost',
  'malformed_reply',
  'malformed_frame',
  'request_too_large',
  'forbidden_sender',
  'azure_incomplete',
  'sandbox_off',
  'sandbox_keys',
  'demo_live',
  'demo_interrupted',
  'secret_store_unavailable',
  'alert_not_found',
  'account_not_found',
  'restricted_word',
  'send_not_found',
  'send_state',
  'sandbox_only',
  'campaign_not_found',
  'campaign_state',
  'campaign_incomplete',
  'csv_unreadable',
  'csv_binary',
  'csv_encoding',
  'csv_missing_column',
  'csv_duplicate_column',
  'fans_no_transport',
  'fans_fetch_failed',
  'campaign_generating',
  'upload_too_large',
  'upload_not_found',
  'upload_sequence',
  'upload_incomplete',
  'upload_failed',
  'update_not_ready',
  'keychain_locked',
  'team_off',
  'team_not_configured',
  'team_sandbox',
  'team_unreachable',
  'team_table_missing',
  'team_budgets_conflict',
  'team_unavailable',
  'aws_not_configured',
  'aws_no_keys',
  'aws_disabled',
  'aws_unreachable',
  'aws_denied',
  'aws_credentials',
  'aws_failed',
  'aws_provision_running',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorParamsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type ErrorParams = z.infer<typeof errorParamsSchema>;

/**
 * One field-level problem: where, which rule (zod's issue code, or `custom` with
 * `params.rule` naming the refinement), and the rule's figures (minimum, maximum, format…).
 */
export const issueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  code: z.string().max(40),
  params: errorParamsSchema,
});
export type Issue = z.infer<typeof issueSchema>;

export const errorDataSchema = z.object({
  kind: z.enum(ERROR_KINDS),
  code: z.enum(ERROR_CODES),
  params: errorParamsSchema,
  issues: z.array(issueSchema).optional(),
});
export type AppErrorData = z.infer<typeof errorDataSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (kind: ErrorKind, code: ErrorCode, params: ErrorParams = {}, issues?: Issue[]): Result<never> => ({
  ok: false,
  error: issues ? { kind, code, params, issues } : { kind, code, params },
});

/** Thrown inside main to signal an expected failure; the registry turns it into a Result. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    readonly issues?: Issue[],
  ) {
    super(code);
    this.name = 'AppError';
  }
}

const scalar = (v: unknown): string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? v
    : typeof v === 'bigint'
      ? Number(v)
      : Array.isArray(v)
        ? v.map((x) => String(x)).join(', ')
        : v === undefined
          ? null
          : String(v);

/** The figures each zod rule carries, flattened to scalars the renderer can interpolate. */
const PARAM_KEYS = ['expected', 'minimum', 'maximum', 'inclusive', 'origin', 'format', 'values', 'keys', 'divisor'] as const;

/** zod's issues as data: the renderer words them, in the operator's language. */
export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => {
    const params: ErrorParams = {};
    const raw = issue as unknown as Record<string, unknown>;
    for (const key of PARAM_KEYS) if (raw[key] !== undefined) params[key] = scalar(raw[key]);
    // A refinement names its rule in `params.rule` (`refine(fn, { params: { rule: '…' } })`).
    if (issue.code === 'custom' && issue.params) {
      for (const [key, value] of Object.entries(issue.params)) params[key] = scalar(value);
    }
    return {
      path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
      code: issue.code,
      params,
    };
  });
}
