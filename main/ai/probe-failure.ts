import type { PROBE_FAILURES } from '../../shared/contract/ai';
import type { ProviderFault } from './types';

export interface ProbeFailure {
  reason: (typeof PROBE_FAILURES)[number];
  /** The provider's own error code ("401 · invalid_api_key"), so the operator can look it up. */
  code: string | null;
  host: string | null;
}

function hostOf(endpoint: string): string | null {
  try {
    return endpoint ? new URL(endpoint).host : null;
  } catch {
    return null;
  }
}

/**
 * Says where Test connection failed: before a connection (DNS, TLS, refused), waiting (timeout),
 * or with an answer (an HTTP status and the provider's code). The renderer words each with a hint.
 */
export function probeFailure(fault: ProviderFault, endpoint: string): ProbeFailure {
  // An OpenAI card left empty talks to api.openai.com: the host is then the SDK's default.
  const host = hostOf(endpoint);
  const code = fault.detail.code ?? null;
  if (fault.detail.network) return { reason: fault.detail.network, code, host };
  if (fault.status !== null) return { reason: 'http', code, host };
  if (fault.kind === 'timeout') return { reason: 'timeout', code, host };
  return { reason: 'connection', code, host };
}
