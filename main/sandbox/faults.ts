/** Scripted faults and the error replies each provider really sends for them. */
import type { SandboxFaultKind } from '../../shared/sandbox';
import { FLAGGED_FILTER, type SandboxReply, type SandboxTarget } from './protocol';

export type SandboxFault =
  | { kind: 'rate_limit'; retryAfterMs?: number; retryAfterSeconds?: number }
  | { kind: 'quota' }
  | { kind: 'server_error' }
  | { kind: 'unavailable' }
  | { kind: 'timeout' }
  | { kind: 'reset' }
  | { kind: 'unauthorized' }
  | { kind: 'content_filter' }
  | { kind: 'content_filter_finish' }
  | { kind: 'stream_drop'; afterChunks?: number }
  | { kind: 'slow_stream'; everyMs?: number };

// The fault kinds are listed once, in shared/sandbox.ts; this fails to compile if the two drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const faultKindsMatch: Same<SandboxFault['kind'], SandboxFaultKind> = true;
void faultKindsMatch;

export type ScriptItem = SandboxFault | { kind: 'ok'; reply?: SandboxReply };

export interface ErrorReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const openaiError = (message: string, type: string | null, code: string | null, param: string | null = null) => ({
  error: { message, type, param, code },
});

/** Errors the sandbox raises itself about a malformed call, before any fault is consulted. */
export const protocolErrors = {
  notFound(target: SandboxTarget | null, method: string, path: string): ErrorReply {
    if (target === 'azure') return { status: 404, body: { error: { code: '404', message: 'Resource not found' } } };
    return { status: 404, body: openaiError(`Invalid URL (${method} ${path})`, 'invalid_request_error', null) };
  },
  methodNotAllowed(method: string, path: string): ErrorReply {
    return {
      status: 405,
      headers: { allow: 'POST' },
      body: openaiError(`Method ${method} is not allowed on ${path}; use POST.`, 'invalid_request_error', null),
    };
  },
  tooLarge(): ErrorReply {
    // The rest of the body is not read, so the connection cannot be reused.
    return { status: 413, headers: { connection: 'close' }, body: openaiError('The request body is too large.', 'invalid_request_error', null) };
  },
  badRequest(message: string, param: string | null): ErrorReply {
    return { status: 400, body: openaiError(message, 'invalid_request_error', null, param) };
  },
  missingKey(target: SandboxTarget): ErrorReply {
    if (target === 'azure') return faultError(target, { kind: 'unauthorized' }) as ErrorReply;
    return {
      status: 401,
      body: openaiError(
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
        null,
      ),
    };
  },
};

const AZURE_FILTER_MESSAGE =
  "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766";

/**
 * The HTTP error a fault answers with, or null when the fault is not an error status
 * (timeout, reset, stream_drop, content_filter_finish, slow_stream are handled by the server itself).
 */
export function faultError(target: SandboxTarget, fault: SandboxFault): ErrorReply | null {
  const azure = target === 'azure';
  switch (fault.kind) {
    case 'rate_limit': {
      const headers: Record<string, string> = {};
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      const wait = fault.retryAfterSeconds ?? Math.ceil((fault.retryAfterMs ?? 1000) / 1000);
      const body = azure
        ? {
            error: {
              code: 'rate_limit_exceeded',
              message: `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${wait} seconds.`,
            },
          }
        : openaiError(`Rate limit reached for requests. Please try again in ${wait}s.`, 'requests', 'rate_limit_exceeded');
      return { status: 429, headers, body };
    }
    case 'quota':
      return {
        status: 429,
        body: azure
          ? { error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'The subscription has exhausted its quota for this deployment.' } }
          : openaiError(
              'You exceeded your current quota, please check your plan and billing details.',
              'insufficient_quota',
              'insufficient_quota',
            ),
      };
    case 'server_error':
      return {
        status: 500,
        body: azure
          ? { error: { code: 'InternalServerError', message: 'The server had an error while processing your request.' } }
          : openaiError('The server had an error while processing your request. Sorry about that!', 'server_error', null),
      };
    case 'unavailable':
      return {
        status: 503,
        body: azure
          ? { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' } }
          : openaiError('The engine is currently overloaded, please try again later.', 'server_error', null),
      };
    case 'unauthorized':
      return {
        status: 401,
        body: azure
          ? {
              error: {
                code: '401',
                message:
                  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
              },
            }
          : openaiError('Incorrect API key provided: sk-test***0001. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key'),
      };
    case 'content_filter':
      // Only Azure filters prompts, but callers test their handling against every target.
      return {
        status: 400,
        body: {
          error: {
            message: AZURE_FILTER_MESSAGE,
            type: null,
            param: 'prompt',
            code: 'content_filter',
            status: 400,
            innererror: {
              code: 'ResponsibleAIPolicyViolation',
              content_filter_result: { ...FLAGGED_FILTER, jailbreak: { filtered: false, detected: false } },
            },
          },
        },
      };
    default:
      return null;
  }
}

/** Per-target queues and standing faults; a queued item always wins over the standing fault. */
export class FaultBook {
  private queues = new Map<SandboxTarget, ScriptItem[]>();
  private standing = new Map<SandboxTarget, SandboxFault>();

  script(target: SandboxTarget, items: ScriptItem[]): void {
    const queue = this.queues.get(target);
    if (queue) queue.push(...items);
    else this.queues.set(target, [...items]);
  }

  setStanding(target: SandboxTarget, fault: SandboxFault | null): void {
    if (fault) this.standing.set(target, fault);
    else this.standing.delete(target);
  }

  standingFaults(): Partial<Record<SandboxTarget, SandboxFault>> {
    return Object.fromEntries(this.standing);
  }

  next(target: SandboxTarget): ScriptItem | undefined {
    return this.queues.get(target)?.shift() ?? this.standing.get(target);
  }

  clear(): void {
    this.queues.clear();
    this.standing.clear();
  }
}
