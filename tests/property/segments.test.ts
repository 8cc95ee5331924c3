import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Staging } from '../../main/audiences/staging';
import type { ParsedFan } from '../../main/audiences/columns';
import { DAY_MS, DEFAULT_TIER_THRESHOLDS, FAN_COLUMNS, type Segment, type SegmentCriterion, SPEND_TIERS, type SpendTier } from '../../shared/audiences';
import { audienceStack } from '../support/audiences';
import { useTempDirs } from '../support/tmp';

const NOW = Date.UTC(2026, 5, 1);
const TAGS = ['vip', 'VIP', 'new', 'tipper', 'ppv_buyer'];
const DAYS = [1, 7, 30];

/** Times near the criteria's edges (exactly N days away, a millisecond either side) and anywhere. */
const timeArb = fc.oneof(
  fc.constant(null),
  fc.constantFrom(...DAYS.flatMap((d) => [-1, 0, 1].flatMap((e) => [NOW - d * DAY_MS + e, NOW + d * DAY_MS + e])), NOW, NOW + 1, NOW - 1),
  fc.integer({ min: NOW - 60 * DAY_MS, max: NOW + 60 * DAY_MS }),
);
const t = DEFAULT_TIER_THRESHOLDS;
const spendArb = fc.oneof(fc.constantFrom(0, 1, t.regular, t.big - 1, t.big, t.whale - 1, t.whale, 7_000_000), fc.integer({ min: 0, max: 3 * t.whale }));
const fanArb = fc.record({
  spend: spendArb,
  subscribedAt: timeArb,
  expiresAt: timeArb,
  tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3, selector: (x) => x.toLowerCase() }),
});
const thresholdsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 3 * t.whale }), { minLength: 3, maxLength: 3 })
  .map(([a, b, c]) => {
    const [regular, big, whale] = [a!, b!, c!].sort((x, y) => x - y);
    return { whale: whale!, big: big!, regular: regular! };
  });
const criterionArb: fc.Arbitrary<SegmentCriterion> = fc.oneof(
  fc.record({ kind: fc.constant('spend_tier' as const), tiers: fc.uniqueArray(fc.constantFrom(...SPEND_TIERS), { minLength: 1 }), thresholds: fc.option(thresholdsArb, { nil: undefined }) }).map((c) => (c.thresholds ? c : { kind: c.kind, tiers: c.tiers })),
  fc.record({ kind: fc.constant('new_subscribers' as const), withinDays: fc.constantFrom(...DAYS) }),
  fc.record({ kind: fc.constant('expiring_soon' as const), withinDays: fc.constantFrom(...DAYS) }),
  fc.constant({ kind: 'expired' as const }),
  fc.record({ kind: fc.constant('has_tag' as const), tag: fc.constantFrom(...TAGS, 'nobody') }),
);
const segmentArb: fc.Arbitrary<Segment> = fc.record({ all: fc.array(criterionArb, { maxLength: 3 }), any: fc.array(criterionArb, { maxLength: 3 }) });

type Fan = { fanId: string; spend: number; subscribedAt: number | null; expiresAt: number | null; tags: string[] };

function tierOf(spend: number, th = DEFAULT_TIER_THRESHOLDS): SpendTier {
  return spend >= th.whale ? 'whale' : spend >= th.big ? 'big' : spend >= th.regular ? 'regular' : 'none';
}

/** The segment rules read straight from their documentation, one fan at a time. */
function matches(fan: Fan, c: SegmentCriterion): boolean {
  switch (c.kind) {
    case 'spend_tier':
      return c.tiers.includes(tierOf(fan.spend, c.thresholds));
    case 'new_subscribers':
      return fan.subscribedAt !== null && fan.subscribedAt > NOW - c.withinDays * DAY_MS && fan.subscribedAt <= NOW;
    case 'expiring_soon':
      return fan.expiresAt !== null && fan.expiresAt > NOW && fan.expiresAt <= NOW + c.withinDays * DAY_MS;
    case 'expired':
      return fan.expiresAt !== null && fan.expiresAt <= NOW;
    case 'has_tag':
      return fan.tags.some((x) => x.toLowerCase() === c.tag.toLowerCase());
  }
}
const inSegment = (fan: Fan, s: Segment) => s.all.every((c) => matches(fan, c)) && (s.any.length === 0 || s.any.some((c) => matches(fan, c)));

describe('segments (fast-check): SQL counts and lists equal a brute-force filter', () => {
  const tempDir = useTempDirs();
  const stacks: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const s of stacks.splice(0)) s.close();
  });

  it('for random fans and random combinations of criteria', async () => {
    const stack = await audienceStack(tempDir(), NOW);
    stacks.push(stack);
    const { db, audiences, account, clock } = stack;
    const other = await stack.create('zoe');
    await fc.assert(
      fc.asyncProperty(fc.array(fanArb, { maxLength: 60 }), fc.array(segmentArb, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 7 }), async (raw, segments, pageSize) => {
        db.prepare('DELETE FROM fans').run();
        const fans: Fan[] = raw.map((f, i) => ({ fanId: `f${String(i).padStart(3, '0')}`, ...f }));
        const staged = (list: Fan[]) => {
          const staging = new Staging(db);
          staging.add(list.map((f): ParsedFan => ({ fanId: f.fanId, name: null, displayName: null, totalSpendMicros: f.spend, subscribedAt: f.subscribedAt, expiresAt: f.expiresAt, tags: f.tags })));
          return staging;
        };
        const mine = staged(fans);
        mine.commit(account.id, 'csv', new Set(FAN_COLUMNS), clock);
        mine.drop();
        // The same fans on another account: nothing of theirs may leak into this account's counts.
        const theirs = staged(fans.map((f) => ({ ...f, tags: ['vip'], spend: t.whale })));
        theirs.commit(other.id, 'csv', new Set(FAN_COLUMNS), clock);
        theirs.drop();
        for (const segment of segments) {
          const expected = fans.filter((f) => inSegment(f, segment)).map((f) => f.fanId);
          expect(audiences.count(account.id, segment)).toBe(expected.length);
          const listed: string[] = [];
          let cursor: string | undefined;
          do {
            const page = audiences.list(account.id, segment, { limit: pageSize, cursor });
            expect(page.fans.length).toBeLessThanOrEqual(pageSize);
            listed.push(...page.fans.map((f) => f.fanId));
            cursor = page.nextCursor ?? undefined;
          } while (cursor !== undefined);
          expect(listed).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });
});
