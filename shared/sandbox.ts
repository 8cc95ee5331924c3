/** The sandbox's fault kinds: the Playground's picker, the contract and the sandbox server all read this list. */
import { z } from 'zod';
import { PROVIDER_IDS } from './ai';

export const SANDBOX_FAULTS = [
  'rate_limit',
  'quota',
  'server_error',
  'unavailable',
  'timeout',
  'reset',
  'unauthorized',
  'content_filter',
  'content_filter_finish',
  'stream_drop',
  /** Streams the reply a piece at a time, slowly enough to watch it arrive. */
  'slow_stream',
] as const;
export type SandboxFaultKind = (typeof SANDBOX_FAULTS)[number];

/** The sandbox speaks for every provider. */
export const sandboxTargetSchema = z.enum(PROVIDER_IDS);
export type SandboxTarget = z.infer<typeof sandboxTargetSchema>;
