import type { CompletionRequest } from '../../shared/ai';

/** OpenAI's chat format spends a few tokens per message on role and separators. */
const PER_MESSAGE_OVERHEAD = 3;
const REPLY_PRIMER = 3;

type Tokenizer = typeof import('gpt-tokenizer');
let tokenizer: Promise<Tokenizer> | undefined;

/**
 * gpt-tokenizer's tables are a third of start-up, and most requests never count tokens (no hard
 * budget, providers report usage): load them on first use only.
 */
const load = (): Promise<Tokenizer> => (tokenizer ??= import('gpt-tokenizer'));

/** Prompt tokens for the budget pre-flight; o200k_base, the encoding of the GPT-4o family. */
export async function estimatePromptTokens(messages: CompletionRequest['messages']): Promise<number> {
  const { countTokens } = await load();
  let total = REPLY_PRIMER;
  for (const m of messages) total += PER_MESSAGE_OVERHEAD + countTokens(m.content);
  return total;
}

export async function estimateTextTokens(text: string): Promise<number> {
  if (!text) return 0;
  const { countTokens } = await load();
  return countTokens(text);
}
