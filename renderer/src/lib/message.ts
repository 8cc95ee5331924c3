import type { TFunction } from 'i18next';
import type { AppErrorData, Issue } from '../../../shared/result';
import { describeError, describeIssue } from '../api/errors';

/**
 * What a screen has to say, kept as keys and parameters rather than words: the words are looked
 * up at render, so a message already on screen follows the operator's language when it changes.
 * `wrap` is a key whose `{{message}}` (an error) or `{{text}}` (a validation issue) is filled in.
 */
export type Message =
  | { key: string; values?: Record<string, unknown> }
  | { error: AppErrorData; wrap?: string; values?: Record<string, unknown> }
  | { issue: Issue; wrap: string; values?: Record<string, unknown> };

export type Notice = Message & { tone: 'ok' | 'error' };

export function say(t: TFunction, message: Message): string {
  if ('error' in message) {
    const text = describeError(t, message.error);
    return message.wrap ? t(message.wrap, { ...message.values, message: text }) : text;
  }
  if ('issue' in message) return t(message.wrap, { ...message.values, text: describeIssue(t, message.issue) });
  return t(message.key, message.values);
}
