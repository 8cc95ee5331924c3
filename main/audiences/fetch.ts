/**
 * Fetching an account's fans from its platform: page after page through the transport, staged
 * like a CSV import, committed in one transaction once the last page has come. A page that
 * fails leaves the account's fans as they were (a half-fetched audience would look complete).
 */
import type { FanColumn, FetchResult } from '../../shared/audiences';
import { AppError } from '../../shared/result';
import type { Db } from '../db/open';
import type { FanListingTransport } from '../messaging/transport';
import type { Clock } from '../ports/clock';
import { Staging } from './staging';

export type FanLister = FanListingTransport;

/** A platform whose cursors never end would otherwise page forever. */
export const MAX_FAN_PAGES = 10_000;

const ALL_FIELDS: ReadonlySet<FanColumn> = new Set(['name', 'displayName', 'totalSpend', 'subscribedAt', 'expiresAt', 'tags']);

export interface FetchFansOptions {
  db: Db;
  clock: Pick<Clock, 'now'>;
  accountId: string;
  lister: FanLister;
  onProgress?: (received: number) => void;
  signal?: AbortSignal;
}

export async function fetchFans(options: FetchFansOptions): Promise<FetchResult> {
  const staging = new Staging(options.db);
  try {
    let cursor: string | null = null;
    let pages = 0;
    let received = 0;
    const seen = new Set<string>();
    do {
      const page = await options.lister.listFans(cursor, options.signal);
      if (!page.ok) throw new AppError('unavailable', 'fans_fetch_failed', { reason: page.reason });
      pages++;
      received += page.fans.length;
      staging.add(page.fans);
      options.onProgress?.(received);
      cursor = page.nextCursor;
      // A cursor seen before is a loop on the platform's side, not more fans.
      if (cursor !== null && (seen.has(cursor) || pages >= MAX_FAN_PAGES)) throw new AppError('unavailable', 'fans_fetch_failed', { reason: 'invalid_reply' });
      if (cursor !== null) seen.add(cursor);
    } while (cursor !== null);
    const { imported, updated } = staging.commit(options.accountId, 'platform', ALL_FIELDS, options.clock);
    return { imported, updated, pages };
  } finally {
    staging.drop();
  }
}
