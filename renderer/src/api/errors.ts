import type { TFunction } from 'i18next';
import type { AppErrorData, Issue } from '../../../shared/result';

/**
 * Errors cross from the core as codes with parameters; they are worded here, in the operator's
 * language. A zod rule's key is `validation.<code>`, narrowed by what it measured
 * or the format it wants (`too_small_string`, `invalid_format_url`), and a refinement's by its rule (`validation.custom.<rule>`).
 */
export function describeIssue(t: TFunction, issue: Issue, withField = false): string {
  const rule = issue.params.rule;
  const key = issue.code === 'custom' && typeof rule === 'string' ? `validation.custom.${rule}` : `validation.${issue.code}`;
  // What was measured (a string's length, a number) or the format expected narrows the wording.
  const narrow = issue.params.origin ?? issue.params.format;
  const context = typeof narrow === 'string' ? narrow : undefined;
  const text = t(key, { ...issue.params, context, defaultValue: t('validation.invalid') });
  if (!withField || issue.path.length === 0) return text;
  return t('validation.atField', { field: issue.path.join(' › '), text });
}

export function describeError(t: TFunction, error: AppErrorData): string {
  const head = t(`errors.${error.code}`, error.params);
  if (!error.issues?.length) return head;
  return `${head} ${error.issues.map((i) => describeIssue(t, i, true)).join('; ')}`;
}
