import type { Input, Output } from '../../../../shared/contract';
import type { RequestFilters, RequestRow } from '../../../../shared/requests';
import { MAX_REQUESTS_PAGE } from '../../../../shared/requests';

export type ListCall = (input: Input<'requests.list'>) => Promise<Output<'requests.list'>>;

/**
 * The core answers a filtered page from a bounded window of the log, so one answer may hold few
 * rows or none. This asks again from where it stopped until the page is full, the log ends, or
 * `maxCalls` windows were read (a rare filter on a huge log then shows a short page with Older).
 */
export async function fetchPage(
  { before, limit, filters }: { before?: string; limit: number; filters: RequestFilters },
  list: ListCall,
  maxCalls = 20,
): Promise<Output<'requests.list'>> {
  const rows: RequestRow[] = [];
  let cursor = before;
  for (let calls = 0; calls < maxCalls; calls++) {
    const page = await list({ before: cursor, limit: limit - rows.length, filters });
    rows.push(...page.rows);
    if (page.nextCursor === null) return { rows, nextCursor: null };
    cursor = page.nextCursor;
    if (rows.length >= limit) break;
  }
  return { rows, nextCursor: cursor ?? null };
}

/** Every row the filters keep, newest first, in the largest pages the contract allows. */
export async function fetchAll(filters: RequestFilters, list: ListCall, onProgress?: (rows: number) => void): Promise<RequestRow[]> {
  const rows: RequestRow[] = [];
  let before: string | undefined;
  do {
    const page = await fetchPage({ before, limit: MAX_REQUESTS_PAGE, filters }, list);
    rows.push(...page.rows);
    onProgress?.(rows.length);
    before = page.nextCursor ?? undefined;
  } while (before);
  return rows;
}
