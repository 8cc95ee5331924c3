import type { ContentFilterResultsForChoiceOutput } from '@azure/openai/types';

/**
 * Azure says which of its content-filter categories fired (adult agencies trip `sexual` most);
 * the operator gets that instead of a bare "refused". Read leniently: a shape we don't know
 * yields no category, never an error.
 */
export function flaggedCategories(results: unknown): string[] {
  if (!results || typeof results !== 'object') return [];
  const out: string[] = [];
  for (const [category, value] of Object.entries(results as ContentFilterResultsForChoiceOutput)) {
    const v = value as { filtered?: unknown; severity?: unknown } | undefined;
    if (v?.filtered === true) out.push(typeof v.severity === 'string' ? `${category} (${v.severity})` : category);
  }
  return out;
}

/** Where each reply shape keeps its filter results: a 400's innererror, or a choice. */
export function filterResultsOf(source: unknown): unknown {
  const s = source as { innererror?: { content_filter_result?: unknown }; content_filter_results?: unknown } | undefined;
  return s?.innererror?.content_filter_result ?? s?.content_filter_results;
}
