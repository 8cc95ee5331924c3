import { describe, expect, it } from 'vitest';
import { campaignCreateSchema, campaignUpdateSchema } from '../../../shared/campaigns';
import { issuesOf } from '../../../shared/result';

const audienceIssue = (audience: unknown) => {
  const r = campaignUpdateSchema.safeParse({ id: 'c1', audience });
  return r.success ? null : issuesOf(r.error);
};

describe('campaign schemas at the boundary', () => {
  it('an audience is a segment of shared/audiences.ts: anything else comes back as issues, never as a thrown stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(audienceIssue(deep)?.[0]?.path).toEqual(['audience']);
    expect(audienceIssue({ segment: 'vip' })).not.toBeNull();
    expect(audienceIssue({ all: [{ kind: 'has_tag', tag: 'vip' }], extra: 1 })).not.toBeNull();
    expect(audienceIssue({ all: [{ kind: 'nope' }] })).not.toBeNull();
    expect(audienceIssue({ all: new Array(21).fill({ kind: 'expired' }) })).not.toBeNull();
    expect(audienceIssue({ all: [{ kind: 'has_tag', tag: 'vip' }], any: [{ kind: 'expired' }, { kind: 'new_subscribers', withinDays: 7 }] })).toBeNull();
    expect(campaignUpdateSchema.parse({ id: 'c1', audience: {} }).audience).toEqual({ all: [], any: [] });
    expect(audienceIssue(null)).toBeNull();
  });

  it('a draft needs only a name; money is integer micro-dollars; variants 2–4; unknown fields refused', () => {
    expect(campaignCreateSchema.parse({ name: ' Summer ' })).toMatchObject({ name: 'Summer', type: 'mass_message', personalization: 'template', variants: 2, audience: null, template: '' });
    expect(campaignCreateSchema.safeParse({ name: 'x', priceMicros: 4.99 }).success).toBe(false);
    expect(campaignCreateSchema.safeParse({ name: 'x', variants: 1 }).success).toBe(false);
    expect(campaignCreateSchema.safeParse({ name: 'x', variants: 4, personalization: 'ai_variants' }).success).toBe(true);
    expect(campaignCreateSchema.safeParse({ name: 'x', state: 'sending' }).success).toBe(false);
    expect(campaignUpdateSchema.safeParse({ id: 'c1', state: 'ready' }).success).toBe(false);
  });
});
