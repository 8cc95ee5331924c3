import type { AlertMessage, SnsSettings } from '../../shared/alerts';
import { type Delivery, networkFailure, refused, sent } from './delivery';
import { emailBody, subject } from './render';

export interface SnsTarget {
  settings: SnsSettings;
  /** Present when `settings.credentials` is `keys`; the default credential chain otherwise. */
  keys?: { accessKeyId: string; secretAccessKey: string };
}

const TIMEOUT_MS = 15_000;

const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const AUTH = new Set([
  'AuthorizationErrorException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'AccessDenied',
  'AccessDeniedException',
  'InvalidSecurityException',
  'KMSAccessDeniedException',
  'CredentialsProviderError',
]);
const NOT_FOUND = new Set(['NotFoundException', 'NotFound', 'ResourceNotFoundException']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'TimeoutError', 'AbortError', 'RequestTimeout']);

/** AWS's error, sorted into what a retry can fix (throttling, 5xx, the network) and what it cannot. */
export function classifySnsError(err: unknown): Delivery {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode ?? null;
  const detail = `${name}: ${e?.message ?? String(err)}`;
  if (THROTTLED.has(name) || status === 429) return refused('throttled', detail, { retryable: true, status });
  if (AUTH.has(name) || status === 401 || status === 403) return refused('auth', detail, { status });
  if (NOT_FOUND.has(name) || status === 404) return refused('not_found', detail, { status });
  if ((status !== null && status >= 500) || e?.$fault === 'server') return refused('unavailable', detail, { retryable: true, status });
  if (NETWORK.has(name) || (e?.code && NETWORK.has(e.code)) || status === null) return networkFailure(err);
  return refused('rejected', detail, { status });
}

/**
 * Publishes one alert to the topic: a subject and a plain-text body, which is what email
 * subscribers receive. The SDK does not retry here: the outbox relay owns retries and backoff.
 */
export async function publishSns(target: SnsTarget, alert: AlertMessage, signal: AbortSignal): Promise<Delivery> {
  const { settings, keys } = target;
  // Loaded on demand: a seat that never configures SNS never pays for the SDK at start.
  const { SNSClient, PublishCommand } = await import('@aws-sdk/client-sns');
  const client = new SNSClient({
    region: settings.region,
    endpoint: settings.endpoint || undefined,
    credentials: keys,
    maxAttempts: 1,
  });
  try {
    await client.send(
      new PublishCommand({
        TopicArn: settings.topicArn,
        Subject: subject(alert),
        Message: emailBody(alert),
        MessageAttributes: { level: { DataType: 'String', StringValue: alert.level } },
        // FIFO topics require these; standard topics refuse them.
        ...(settings.topicArn.endsWith('.fifo') ? { MessageGroupId: 'huntaze-alerts', MessageDeduplicationId: alert.id.slice(0, 128) } : {}),
      }),
      { abortSignal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) },
    );
    return sent;
  } catch (err) {
    return classifySnsError(err);
  } finally {
    client.destroy();
  }
}
