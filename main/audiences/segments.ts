/**
 * A segment definition as one SQL condition over `fans f`, with its parameters. Every criterion
 * is a range on an indexed column of the account's fans (or a tag lookup by primary key), so a
 * count over 50,000 fans is a single indexed query, live at every keystroke of the picker.
 */
import { DAY_MS, DEFAULT_TIER_THRESHOLDS, type Segment, type SegmentCriterion, type SpendTier, type TierThresholds } from '../../shared/audiences';

export interface Condition {
  sql: string;
  params: Array<string | number>;
}

/** The [low, high) spend range of a tier, in micro-dollars; null high is unbounded. */
export function tierRange(tier: SpendTier, t: TierThresholds): [number, number | null] {
  switch (tier) {
    case 'whale':
      return [t.whale, null];
    case 'big':
      return [t.big, t.whale];
    case 'regular':
      return [t.regular, t.big];
    case 'none':
      return [0, t.regular];
  }
}

function criterion(c: SegmentCriterion, now: number): Condition {
  switch (c.kind) {
    case 'spend_tier': {
      const t = c.thresholds ?? DEFAULT_TIER_THRESHOLDS;
      const parts = [...new Set(c.tiers)].map((tier) => {
        const [low, high] = tierRange(tier, t);
        return high === null
          ? { sql: 'f.total_spend_micros >= ?', params: [low] }
          : { sql: '(f.total_spend_micros >= ? AND f.total_spend_micros < ?)', params: [low, high] };
      });
      return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
    }
    case 'new_subscribers':
      return { sql: '(f.subscribed_at > ? AND f.subscribed_at <= ?)', params: [now - c.withinDays * DAY_MS, now] };
    case 'expiring_soon':
      return { sql: '(f.expires_at > ? AND f.expires_at <= ?)', params: [now, now + c.withinDays * DAY_MS] };
    case 'expired':
      return { sql: 'f.expires_at <= ?', params: [now] };
    case 'has_tag':
      return { sql: 'EXISTS (SELECT 1 FROM fan_tags t WHERE t.account_id = f.account_id AND t.fan_id = f.fan_id AND t.tag = ?)', params: [c.tag] };
  }
}

/** `all` joined by AND, then `any` (when present) as one OR group; the empty segment is `1`. */
export function segmentCondition(segment: Segment, now: number): Condition {
  const all = segment.all.map((c) => criterion(c, now));
  const any = segment.any.map((c) => criterion(c, now));
  const parts: Condition[] = [...all];
  if (any.length > 0) parts.push({ sql: `(${any.map((a) => a.sql).join(' OR ')})`, params: any.flatMap((a) => a.params) });
  if (parts.length === 0) return { sql: '1', params: [] };
  return { sql: parts.map((p) => p.sql).join(' AND '), params: parts.flatMap((p) => p.params) };
}
