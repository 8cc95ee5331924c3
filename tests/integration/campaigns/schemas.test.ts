import { describe, expect, it } from 'vitest';
import { campaignCreateSchema, campaignUpdateSchema, MAX_AUDIENCE_DEPTH, MAX_AUDIENCE_JSON_CHARS } from '../../../shared/campaigns';
import { issuesOf } from '../../../shared/result';

const audienceIssue = (audience: unknown) => {
  const r = campaignUpdateSchema.safeParse({ id: 'c1', audience });
  return r.success ? null : issuesOf(r.error);
};

describe('campaign schemas at the boundary', () => {
  it('an audience is plain JSON: hostile shapes come back as issues, never as a thrown stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(audienceIssue(deep)).toEqual([{ path: ['audience'], code: 'custom', params: { rule: 'audience_too_deep', maximum: MAX_AUDIENCE_DEPTH } }]);
    expect(audienceIssue({ big: 'x'.repeat(MAX_AUDIENCE_JSON_CHARS) })?.[0]?.params.rule).toBe('audience_too_large');
    expect(audienceIssue(new Array(200_000).fill(0))?.[0]?.params.rule).toBe('audience_too_large');
    expect(audienceIssue({ n: Number.NaN })?.[0]?.params.rule).toBe('audience_not_json');
    expect(audienceIssue(new Date(0))?.[0]?.params.rule).toBe('audience_not_json');
    expect(audienceIssue({ segment: 'vip', tags: ['a', 'é'], min: 5, nested: { ok: [true, null] } })).toBeNull();
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
