import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../ports/clock';
import type { TeamConnection } from './clients';

/** What a failed AWS call means to the operator, from the error's name or network code. */
export type AwsFailure = 'denied' | 'not_found' | 'credentials' | 'unreachable' | 'other';

const DENIED = new Set(['AccessDeniedException', 'AuthorizationErrorException', 'AuthorizationError', 'AccessDenied']);
const NOT_FOUND = new Set(['ResourceNotFoundException', 'TableNotFoundException', 'NotFoundException', 'NotFound']);
const CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'InvalidClientTokenId',
  'InvalidClientTokenIdException',
  'SignatureDoesNotMatch',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'TimeoutError']);

export function classify(err: unknown): AwsFailure {
  if (!(err instanceof Error)) return 'other';
  const code = (err as { code?: string }).code;
  if (DENIED.has(err.name)) return 'denied';
  if (NOT_FOUND.has(err.name)) return 'not_found';
  if (CREDENTIALS.has(err.name)) return 'credentials';
  if (NETWORK.has(err.name) || (code && NETWORK.has(code))) return 'unreachable';
  return 'other';
}

/** AWS names the caller's account in every AccessDenied message (`arn:aws:iam::<account>:…`). */
export const accountOf = (text: string | undefined): string | null => /arn:aws[\w-]*:(?:iam|sts|dynamodb)::?(?:[\w-]*:)?(\d{12})/.exec(text ?? '')?.[1] ?? null;

/** AWS refuses signatures more than 5 minutes off; the shared limiter's buckets drift past 1 s. */
export const SKEW_FAIL_MS = 5 * 60_000;
export const SKEW_WARN_MS = 1_000;

export interface AccessResult {
  credentials: 'ok' | 'invalid' | 'unreachable' | 'error';
  region: string;
  account: string | null;
  /** Server minus this seat's clock, ms; null when no reply carried a `Date`. */
  skewMs: number | null;
  skew: 'ok' | 'warn' | 'fail' | 'unknown';
  /** The AWS error name when `credentials` is not ok (never a message: it may echo a key id). */
  error: string | null;
}

/**
 * The `Date` header has one-second resolution: the server's instant lies in [date, date + 1 s),
 * so only a distance outside that window (and the round trip) counts as skew.
 */
export function skewFrom(dateHeader: string, sentAt: number, receivedAt: number): number {
  const server = Date.parse(dateHeader);
  if (Number.isNaN(server)) return 0;
  if (receivedAt < server) return server - receivedAt;
  if (sentAt > server + 999) return server + 999 - sentAt;
  return 0;
}

export function skewLevel(skewMs: number | null): AccessResult['skew'] {
  if (skewMs === null) return 'unknown';
  const abs = Math.abs(skewMs);
  return abs > SKEW_FAIL_MS ? 'fail' : abs > SKEW_WARN_MS ? 'warn' : 'ok';
}

/**
 * One DescribeTable on the costs table proves the keys: "not found" and "denied" are both
 * answers from an AWS that accepted the signature. The reply's `Date` measures clock skew.
 */
export async function testAccess(connection: TeamConnection, clock: Clock): Promise<AccessResult> {
  const command = new DescribeTableCommand({ TableName: connection.names.costsTable });
  let date: string | undefined;
  // Innermost in the deserialize step: sees the raw reply before an error reply throws.
  command.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      date = (out.response as { headers?: Record<string, string> }).headers?.date;
      return out;
    },
    { step: 'deserialize', priority: 'low', name: 'huntazeDateHeader' },
  );
  const sentAt = clock.now();
  let account: string | null = null;
  let credentials: AccessResult['credentials'] = 'ok';
  let error: string | null = null;
  try {
    const out = await connection.dynamo.send(command);
    account = accountOf(out.Table?.TableArn);
  } catch (err) {
    const failure = classify(err);
    if (failure === 'denied') account = accountOf((err as Error).message);
    else if (failure === 'credentials') credentials = 'invalid';
    else if (failure === 'unreachable') credentials = 'unreachable';
    else if (failure !== 'not_found') credentials = 'error';
    if (credentials !== 'ok') error = err instanceof Error ? err.name : 'Error';
  }
  const receivedAt = clock.now();
  const skewMs = date ? skewFrom(date, sentAt, receivedAt) : null;
  return { credentials, region: connection.settings.region, account, skewMs, skew: skewLevel(skewMs), error };
}
