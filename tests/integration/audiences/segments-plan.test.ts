import { afterEach, describe, expect, it } from 'vitest';
import { segmentCondition } from '../../../main/audiences/segments';
import type { SegmentCriterion } from '../../../shared/audiences';
import { audienceStack } from '../../support/audiences';
import { useTempDirs } from '../../support/tmp';

/** Counts stay live on 50,000 fans because each criterion is an index search, never a scan of every fan. */
describe('segment counts use the indexes', () => {
  const tempDir = useTempDirs();
  const stacks: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const s of stacks.splice(0)) s.close();
  });

  const cases: Array<[SegmentCriterion, RegExp]> = [
    [{ kind: 'spend_tier', tiers: ['whale'] }, /USING (COVERING )?INDEX fans_spend/],
    [{ kind: 'new_subscribers', withinDays: 7 }, /USING (COVERING )?INDEX fans_subscribed/],
    [{ kind: 'expiring_soon', withinDays: 7 }, /USING (COVERING )?INDEX fans_expires/],
    [{ kind: 'expired' }, /USING (COVERING )?INDEX fans_expires/],
    [{ kind: 'has_tag', tag: 'vip' }, /fan_tags.*USING PRIMARY KEY|USING (COVERING )?INDEX fan_tags/],
  ];

  it.each(cases)('%o', async (criterion, index) => {
    const stack = await audienceStack(tempDir());
    stacks.push(stack);
    const where = segmentCondition({ all: [criterion], any: [] }, Date.UTC(2026, 5, 1));
    const plan = (stack.db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM fans f WHERE f.account_id = ? AND ${where.sql}`).all('a', ...where.params) as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(index);
    expect(plan).not.toMatch(/^SCAN f\b/m);
  });
});
