/** The Chat Completions wire format as the sandbox speaks it: request validation and reply bodies. */
import { randomUUID } from 'node:crypto';
import { countTokens, decode, encode } from 'gpt-tokenizer';
import { z } from 'zod';

export type { SandboxTarget } from '../../shared/sandbox';
import type { SandboxTarget } from '../../shared/sandbox';
import { structuredReply, type StructuredFault } from './structured';

export interface SandboxReply {
  text?: string;
  usage?: { promptTokens?: number; cachedTokens?: number; completionTokens?: number };
  /** Damage to a structured (json_schema) reply: a dropped or garbled item, or no JSON at all. */
  structured?: StructuredFault;
}

const messageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.string(),
});

const tokenLimit = z.number().int().positive();

export const chatRequestSchema = z.object({
  // Azure routes by deployment, so only the other targets need a model in the body.
  model: z.string().min(1).optional(),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: tokenLimit.nullish(),
  max_completion_tokens: tokenLimit.nullish(),
  response_format: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('text') }),
      z.object({ type: z.literal('json_object') }),
      z.object({
        type: z.literal('json_schema'),
        json_schema: z.object({ name: z.string().min(1).max(64), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullish() }),
      }),
    ])
    .nullish(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** What the log records about a call; read leniently so that a rejected body is still visible. */
export interface CallSummary {
  model: string | null;
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | null;
}

export type ParsedBody = { summary: CallSummary } & (
  | { ok: true; body: ChatRequest }
  | { ok: false; message: string; param: string | null }
);

function summarize(json: unknown): CallSummary {
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const stream = o.stream === true;
  const options = o.stream_options as { include_usage?: unknown } | null | undefined;
  const limit = o.max_completion_tokens ?? o.max_tokens;
  return {
    model: typeof o.model === 'string' ? o.model : null,
    stream,
    includeUsage: stream && options?.include_usage === true,
    maxTokens: typeof limit === 'number' ? limit : null,
  };
}

export function parseChatRequest(raw: string, target: SandboxTarget): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {
      ok: false,
      summary: summarize(null),
      param: null,
      message:
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
    };
  }
  const summary = summarize(json);
  const parsed = chatRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : null;
    return { ok: false, summary, param, message: `Invalid value for '${param ?? 'body'}': ${issue?.message ?? 'invalid request'}` };
  }
  if (target !== 'azure' && parsed.data.model === undefined) {
    return { ok: false, summary, param: 'model', message: 'you must provide a model parameter' };
  }
  return { ok: true, summary, body: parsed.data };
}

/** Deployment names are operator-chosen; the reply names the model behind them, as Azure does. */
const AZURE_MODELS: Array<[RegExp, string]> = [
  [/gpt-?4o-?mini/i, 'gpt-4o-mini-2024-07-18'],
  [/gpt-?4\.?1-?nano/i, 'gpt-4.1-nano-2025-04-14'],
  [/gpt-?4\.?1-?mini/i, 'gpt-4.1-mini-2025-04-14'],
  [/gpt-?4\.?1/i, 'gpt-4.1-2025-04-14'],
  [/gpt-?35|gpt-?3\.5/i, 'gpt-35-turbo'],
];
const AZURE_DEFAULT_MODEL = 'gpt-4o-2024-08-06';

export function replyModel(target: SandboxTarget, deployment: string | null, requested: string | undefined): string {
  if (target !== 'azure') return requested ?? 'unknown';
  const name = deployment ?? '';
  return AZURE_MODELS.find(([pattern]) => pattern.test(name))?.[1] ?? AZURE_DEFAULT_MODEL;
}

export type FinishReason = 'stop' | 'length' | 'content_filter';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: { reasoning_tokens: number; audio_tokens: number; accepted_prediction_tokens: number; rejected_prediction_tokens: number };
}

/** Everything needed to answer one request, computed once whether it streams or not. */
export interface Completion {
  id: string;
  created: number;
  model: string;
  text: string;
  finishReason: FinishReason;
  usage: Usage;
}

function defaultText(messages: ChatRequest['messages']): string {
  const lastUser = messages.findLast((m) => m.role === 'user') ?? messages[messages.length - 1];
  return `Sandbox reply: ${(lastUser?.content ?? '').slice(0, 60)}`;
}

/** The schema a json_schema response format asks for, or undefined. */
export function requestedSchema(body: ChatRequest): Record<string, unknown> | undefined {
  const format = body.response_format;
  return format?.type === 'json_schema' ? (format.json_schema.schema ?? {}) : undefined;
}

export function buildCompletion(options: {
  body: ChatRequest;
  model: string;
  createdSeconds: number;
  reply: SandboxReply | undefined;
  contentFiltered: boolean;
  /** The prompt's length and how much of it the prompt cache served, counted by the caller. */
  promptTokens: number;
  cachedTokens: number;
}): Completion {
  const { body, reply } = options;
  const schema = requestedSchema(body);
  const lastUser = body.messages.findLast((m) => m.role === 'user')?.content ?? '';
  let text = reply?.text ?? (schema ? structuredReply(schema, lastUser, reply?.structured) : defaultText(body.messages));
  let finishReason: FinishReason = 'stop';
  const limit = body.max_completion_tokens ?? body.max_tokens ?? null;
  if (limit !== null && text.length > limit) {
    // A token is at least one character, so only texts longer than the limit can exceed it.
    const tokens = encode(text);
    if (tokens.length > limit) {
      text = decode(tokens.slice(0, limit));
      finishReason = 'length';
    }
  }
  if (options.contentFiltered) {
    text = text.slice(0, Math.ceil(text.length / 2));
    finishReason = 'content_filter';
  }
  const override = reply?.usage;
  const completionTokens = override?.completionTokens ?? countTokens(text);
  const prompt = override?.promptTokens ?? options.promptTokens;
  return {
    id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
    created: options.createdSeconds,
    model: options.model,
    text,
    finishReason,
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completionTokens,
      total_tokens: prompt + completionTokens,
      prompt_tokens_details: { cached_tokens: override?.cachedTokens ?? Math.min(options.cachedTokens, prompt), audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
  };
}

const SYSTEM_FINGERPRINT = 'fp_sandbox0001';

const SAFE_FILTER = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};
export const FLAGGED_FILTER = { ...SAFE_FILTER, sexual: { filtered: true, severity: 'medium' } };

export function completionJson(c: Completion, target: SandboxTarget): string {
  const filtered = c.finishReason === 'content_filter';
  const choice = {
    index: 0,
    message: { role: 'assistant', content: c.text, refusal: null, annotations: [] },
    finish_reason: c.finishReason,
    logprobs: null,
    ...(target === 'azure' ? { content_filter_results: filtered ? FLAGGED_FILTER : SAFE_FILTER } : {}),
  };
  return JSON.stringify({
    id: c.id,
    object: 'chat.completion',
    created: c.created,
    model: c.model,
    choices: [choice],
    usage: c.usage,
    system_fingerprint: SYSTEM_FINGERPRINT,
    ...(target === 'azure'
      ? { prompt_filter_results: [{ prompt_index: 0, content_filter_results: SAFE_FILTER }] }
      : { service_tier: 'default' }),
  });
}

const MAX_PIECES = 32;

/** Splits at word boundaries, like a tokenizer would roughly, into at least three pieces. */
export function splitPieces(text: string): string[] {
  let pieces: string[] = text.match(/\s*\S+\s*/g) ?? [];
  if (pieces.length < 3) pieces = [...text];
  while (pieces.length < 3) pieces.push('');
  if (pieces.length > MAX_PIECES) {
    const size = Math.ceil(pieces.length / MAX_PIECES);
    const grouped: string[] = [];
    for (let i = 0; i < pieces.length; i += size) grouped.push(pieces.slice(i, i + size).join(''));
    pieces = grouped;
  }
  return pieces;
}

/** The SSE frames of a streamed completion, in order: role, content pieces, finish, usage?, [DONE]. */
export function streamFrames(c: Completion, includeUsage: boolean, target: SandboxTarget): string[] {
  const usageField = includeUsage ? { usage: null } : {};
  const frame = (choices: unknown[], extra: object = usageField) =>
    `data: ${JSON.stringify({
      id: c.id,
      object: 'chat.completion.chunk',
      created: c.created,
      model: c.model,
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
      ...extra,
    })}\n\n`;
  const delta = (d: object, finish: FinishReason | null = null) => [{ index: 0, delta: d, logprobs: null, finish_reason: finish }];
  const frames = [frame(delta({ role: 'assistant', content: '', refusal: null }))];
  for (const piece of splitPieces(c.text)) frames.push(frame(delta({ content: piece })));
  // Azure annotates the finishing chunk with its filter verdict, as it does a whole completion.
  const verdict = target === 'azure' ? { content_filter_results: c.finishReason === 'content_filter' ? FLAGGED_FILTER : SAFE_FILTER } : {};
  frames.push(frame([{ ...delta({}, c.finishReason)[0], ...verdict }]));
  if (includeUsage) frames.push(frame([], { usage: c.usage }));
  frames.push('data: [DONE]\n\n');
  return frames;
}
