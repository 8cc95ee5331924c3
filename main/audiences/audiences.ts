/**
 * One profile's audiences: the fans of its creator accounts, imported from CSV or fetched from
 * the platform, and counted or listed by segment. Built on the profile's database; every read is
 * scoped to one account.
 */
import {
  BUILT_IN_SEGMENTS,
  type Fan,
  type FanSource,
  type FetchResult,
  type ImportMode,
  type ImportResult,
  type NamedSegment,
  type Segment,
  type SegmentCount,
} from '../../shared/audiences';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import { type CsvProgress, importCsv } from './csv-import';
import { fetchFans, type FanLister } from './fetch';
import { segmentCondition } from './segments';

interface FanRow {
  fan_id: string;
  name: string | null;
  display_name: string | null;
  total_spend_micros: number;
  subscribed_at: number | null;
  expires_at: number | null;
  source: FanSource;
  updated_at: number;
  tags: string;
}

export interface FanPage {
  fans: Fan[];
  nextCursor: string | null;
}

const toFan = (r: FanRow): Fan => ({
  fanId: r.fan_id,
  name: r.name,
  displayName: r.display_name,
  totalSpendMicros: r.total_spend_micros,
  subscribedAt: r.subscribed_at,
  expiresAt: r.expires_at,
  tags: JSON.parse(r.tags) as string[],
  source: r.source,
  updatedAt: r.updated_at,
});

export class Audiences {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** How many of the account's fans are in the segment, as of now. */
  count(accountId: string, segment: Segment): number {
    const where = segmentCondition(segment, this.clock.now());
    return this.db.prepare(`SELECT count(*) FROM fans f WHERE f.account_id = ? AND ${where.sql}`).pluck().get(accountId, ...where.params) as number;
  }

  /** The segment's fans by fan id, `limit` at a time; `cursor` is the last fan id of the previous page. */
  list(accountId: string, segment: Segment, page: { limit: number; cursor?: string }): FanPage {
    const where = segmentCondition(segment, this.clock.now());
    const after = page.cursor === undefined ? '' : 'AND f.fan_id > ?';
    const rows = this.db
      .prepare(
        `SELECT f.fan_id, f.name, f.display_name, f.total_spend_micros, f.subscribed_at, f.expires_at, f.source, f.updated_at,
           (SELECT json_group_array(t.tag) FROM fan_tags t WHERE t.account_id = f.account_id AND t.fan_id = f.fan_id) AS tags
         FROM fans f WHERE f.account_id = ? ${after} AND ${where.sql} ORDER BY f.fan_id LIMIT ?`,
      )
      .all(accountId, ...(page.cursor === undefined ? [] : [page.cursor]), ...where.params, page.limit + 1) as FanRow[];
    const more = rows.length > page.limit;
    const fans = rows.slice(0, page.limit).map(toFan);
    return { fans, nextCursor: more ? fans[fans.length - 1]!.fanId : null };
  }

  /** Counts of the given segments, or of the built-in ones. */
  segments(accountId: string, named?: readonly NamedSegment[]): SegmentCount[] {
    const list = named && named.length > 0 ? named : BUILT_IN_SEGMENTS;
    return list.map((s) => ({ name: s.name, segment: s.segment, count: this.count(accountId, s.segment) }));
  }

  importCsv(accountId: string, path: string, mode: ImportMode, onProgress?: (p: CsvProgress) => void): Promise<ImportResult> {
    return importCsv({ db: this.db, clock: this.clock, accountId, path, mode, onProgress });
  }

  fetch(accountId: string, lister: FanLister, onProgress?: (received: number) => void, signal?: AbortSignal): Promise<FetchResult> {
    return fetchFans({ db: this.db, clock: this.clock, accountId, lister, onProgress, signal });
  }
}
