import type { FaultKind, ProviderId, Usage } from '../../shared/ai';
import type { CompletionRequest } from '../../shared/ai';

/** Where one attempt goes: the provider, the deployment (Azure) or model id sent, and what it runs. */
export interface ProviderTarget {
  provider: ProviderId;
  deployment: string;
  baseModel: string;
}

export interface ProviderCall {
  messages: CompletionRequest['messages'];
  maxOutputTokens: number;
  stream: boolean;
  responseFormat?: CompletionRequest['responseFormat'];
  firstByteTimeoutMs: number;
  totalTimeoutMs: number;
  signal?: AbortSignal;
  /** Hears each piece of streamed text as it arrives. */
  onDelta?: (text: string) => void;
}

export interface ProviderReply {
  text: string;
  finishReason: string | null;
  /** null when the provider sent none (a local server may ignore include_usage). */
  usage: Usage | null;
  status: number;
  /** Content-filter categories that fired, when the provider says (Azure). */
  flagged: string[];
}

/** One HTTP attempt, as the orchestrator drives it; throws ProviderFault, nothing else. */
export interface ProviderAdapter {
  complete(target: ProviderTarget, call: ProviderCall): Promise<ProviderReply>;
}

/** Where a connection failed below HTTP, when the socket's error says so. */
export type NetworkCause = 'dns' | 'tls' | 'refused';

/** What Test connection words beyond the kind: the network cause, or the provider's own error code. */
export interface FaultDetail {
  network?: NetworkCause;
  code?: string;
}

export class ProviderFault extends Error {
  constructor(
    readonly kind: FaultKind,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
    /** What arrived before a stream broke, so the tokens it consumed can be charged. */
    readonly partialText = '',
    readonly usage: Usage | null = null,
    readonly detail: FaultDetail = {},
  ) {
    super(message);
    this.name = 'ProviderFault';
  }
}
