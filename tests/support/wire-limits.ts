import type { CompletionRequest, RoutingPolicy } from '../../shared/ai';
import { MAX_FRAME_BYTES, MAX_MESSAGES, MAX_PROMPT_CHARS, MAX_ROUTE_KEY_CHARS, MAX_ROUTES, MAX_SCHEMA_CHARS } from '../../shared/limits';
import { clientFrame, OPCODE } from './raw-ws';

/** A control character: JSON spends 6 bytes on it (`\u0001`), the most any character costs. */
const COSTLIEST = '\u0001';

/** The request frame a client sends, as our clients encode it. */
export const requestFrame = (method: string, input: unknown, id = Number.MAX_SAFE_INTEGER) =>
  JSON.stringify({ id, method, input });

/** The biggest `ai.complete` the contract accepts, once JSON-encoded: every limit at its maximum. */
export function largestCompletionRequest(): CompletionRequest {
  const base = Math.floor(MAX_PROMPT_CHARS / MAX_MESSAGES);
  const extra = MAX_PROMPT_CHARS % MAX_MESSAGES;
  return {
    purpose: 'personalize',
    campaignType: 're_engagement',
    campaignId: COSTLIEST.repeat(100),
    operatorId: COSTLIEST.repeat(100),
    messages: Array.from({ length: MAX_MESSAGES }, (_, i) => ({
      role: 'assistant' as const,
      content: COSTLIEST.repeat(base + (i < extra ? 1 : 0)),
    })),
    modelClass: 'standard',
    maxOutputTokens: 32_000,
    stream: false,
    // JSON text escapes control characters inside the limit; 3-byte characters cost the most beyond it.
    responseFormat: { type: 'json_schema', name: 'x'.repeat(64), strict: true, schema: { d: '€'.repeat(MAX_SCHEMA_CHARS - JSON.stringify({ d: '' }).length) } },
  };
}

/** The biggest routing policy the contract accepts. */
export function largestRoutingPolicy(): RoutingPolicy {
  const step = { provider: 'openai', modelClass: 'standard', skipWhenBudget: 'exceeded' } as const;
  const routes: RoutingPolicy['routes'] = {};
  for (let i = 0; i < MAX_ROUTES; i++) {
    const distinct = String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26));
    routes[`${distinct}:`.padEnd(MAX_ROUTE_KEY_CHARS, '_')] = Array.from({ length: 8 }, () => step);
  }
  return {
    routes,
    maxAttemptsPerProvider: 5,
    onContentFilter: 'fallback',
  };
}

/** A well-formed JSON request frame of exactly `bytes` bytes (ASCII padding in an unknown field). */
export function paddedRequest(bytes: number): Buffer {
  const empty = JSON.stringify({ id: 1, method: 'settings.get', input: { pad: '' } });
  const frame = JSON.stringify({ id: 1, method: 'settings.get', input: { pad: 'a'.repeat(bytes - empty.length) } });
  return Buffer.from(frame);
}

/** The four protocol errors that used to take the browser host down, with what `ws` answers. */
export const PROTOCOL_VIOLATIONS = [
  {
    name: 'a frame one byte over the size limit',
    bytes: () => clientFrame({ opcode: OPCODE.text, payload: paddedRequest(MAX_FRAME_BYTES + 1) }),
    closeCode: 1009,
    wsError: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
  },
  {
    name: 'invalid UTF-8 in a text frame',
    bytes: () => clientFrame({ opcode: OPCODE.text, payload: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]) }),
    closeCode: 1007,
    wsError: 'WS_ERR_INVALID_UTF8',
  },
  {
    name: 'an unmasked client frame',
    bytes: () => clientFrame({ opcode: OPCODE.text, payload: Buffer.from(requestFrame('settings.get', {}, 1)), masked: false }),
    closeCode: 1002,
    wsError: 'WS_ERR_EXPECTED_MASK',
  },
  {
    name: 'a reserved opcode',
    bytes: () => clientFrame({ opcode: OPCODE.reserved, payload: Buffer.from('{}') }),
    closeCode: 1002,
    wsError: 'WS_ERR_INVALID_OPCODE',
  },
] as const;
