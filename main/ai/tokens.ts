import { countTokens } from 'gpt-tokenizer';
import type { CompletionRequest } from '../../shared/ai';

/** OpenAI's chat format spends a few tokens per message on role and separators. */
const PER_MESSAGE_OVERHEAD = 3;
const REPLY_PRIMER = 3;

/** Prompt tokens for the budget pre-flight; o200k_base, the encoding of the GPT-4o family. */
export function estimatePromptTokens(messages: CompletionRequest['messages']): number {
  let total = REPLY_PRIMER;
  for (const m of messages) total += PER_MESSAGE_OVERHEAD + countTokens(m.content);
  return total;
}

export const estimateTextTokens = (text: string): number => (text ? countTokens(text) : 0);
