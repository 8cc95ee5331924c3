import type OpenAI from 'openai';
import { z } from 'zod';
import type { Usage } from '../../../shared/ai';
import type { Clock } from '../../ports/clock';
import { type ProviderAdapter, type ProviderCall, ProviderFault, type ProviderReply, type ProviderTarget } from '../types';
import { filterResultsOf, flaggedCategories } from '../azure/content-filter';
import { classify } from './errors';

// Provider replies are a boundary: parsed, never trusted.
const usageWire = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().nullish() }).nullish(),
});
const completionWire = z.object({
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullish() }), finish_reason: z.string().nullish(), content_filter_results: z.unknown().optional() }))
    .min(1),
  usage: usageWire.nullish(),
});
const chunkWire = z.object({
  choices: z.array(
    z.object({ delta: z.object({ content: z.string().nullish() }).nullish(), finish_reason: z.string().nullish(), content_filter_results: z.unknown().optional() }),
  ),
  usage: usageWire.nullish(),
});

const toUsage = (u: z.infer<typeof usageWire>): Usage => {
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  return { inputTokens: u.prompt_tokens, cachedInputTokens: Math.min(cached, u.prompt_tokens), outputTokens: u.completion_tokens };
};

/**
 * One HTTP attempt through the official SDK (its own retries are off: the orchestrator owns
 * retry). Timeouts are ours: one until the response starts, one for the whole call.
 */
export class OpenAICompatibleAdapter implements ProviderAdapter {
  constructor(
    private readonly client: OpenAI,
    private readonly clock: Clock,
  ) {}

  async complete(target: ProviderTarget, call: ProviderCall): Promise<ProviderReply> {
    const controller = new AbortController();
    let timedOut: 'first_byte' | 'total' | null = null;
    // The caller's cancellation (a paused campaign, a closing profile) ends the HTTP call too.
    const cancel = () => controller.abort();
    if (call.signal?.aborted) throw new ProviderFault('cancelled', 'cancelled before it was sent');
    call.signal?.addEventListener('abort', cancel, { once: true });
    const firstByte = setTimeout(() => ((timedOut = 'first_byte'), controller.abort()), call.firstByteTimeoutMs);
    const total = setTimeout(() => ((timedOut = 'total'), controller.abort()), call.totalTimeoutMs);
    const options = { signal: controller.signal, maxRetries: 0, timeout: call.totalTimeoutMs };
    const format = call.responseFormat;
    const body = {
      model: target.deployment,
      messages: call.messages,
      max_tokens: call.maxOutputTokens,
      ...(format ? { response_format: { type: 'json_schema' as const, json_schema: { name: format.name, schema: format.schema, strict: format.strict } } } : {}),
    };
    let partial = '';
    try {
      if (!call.stream) {
        const response = await this.client.chat.completions.create({ ...body, stream: false }, options).asResponse();
        clearTimeout(firstByte);
        const parsed = completionWire.safeParse(await response.json());
        if (!parsed.success) throw new ProviderFault('server_error', 'the provider sent a malformed completion', response.status);
        const choice = parsed.data.choices[0]!;
        return {
          text: choice.message.content ?? '',
          finishReason: choice.finish_reason ?? null,
          usage: parsed.data.usage ? toUsage(parsed.data.usage) : null,
          status: response.status,
          flagged: choice.finish_reason === 'content_filter' ? flaggedCategories(filterResultsOf(choice)) : [],
        };
      }

      const stream = await this.client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        options,
      );
      clearTimeout(firstByte);
      let finishReason: string | null = null;
      let usage: Usage | null = null;
      let flagged: string[] = [];
      for await (const raw of stream) {
        const chunk = chunkWire.safeParse(raw);
        if (!chunk.success) throw new ProviderFault('server_error', 'the provider sent a malformed stream chunk', 200, null, partial);
        for (const choice of chunk.data.choices) {
          const piece = choice.delta?.content ?? '';
          partial += piece;
          if (piece) call.onDelta?.(piece);
          finishReason = choice.finish_reason ?? finishReason;
          if (choice.finish_reason === 'content_filter') flagged = flaggedCategories(filterResultsOf(choice));
        }
        if (chunk.data.usage) usage = toUsage(chunk.data.usage);
      }
      return { text: partial, finishReason, usage, status: 200, flagged };
    } catch (err) {
      if (partial && !(err instanceof ProviderFault) && !timedOut) {
        throw new ProviderFault('stream_dropped', `the stream broke after ${partial.length} characters`, 200, null, partial);
      }
      const fault = call.signal?.aborted && !timedOut ? new ProviderFault('cancelled', 'cancelled') : classify(err, timedOut, this.clock.now());
      if (partial && !fault.partialText) {
        throw new ProviderFault(fault.kind, fault.message, fault.status, fault.retryAfterMs, partial);
      }
      throw fault;
    } finally {
      clearTimeout(firstByte);
      clearTimeout(total);
      call.signal?.removeEventListener('abort', cancel);
    }
  }
}
