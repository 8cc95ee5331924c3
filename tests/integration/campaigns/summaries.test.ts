import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { Campaign, CampaignStatus, CampaignSummary } from '../../../shared/campaigns';
import { MAX_LIST_PAGE } from '../../../shared/campaigns';
import { generatedCampaign, useServicesStack } from '../../support/services-stack';

describe('campaigns.summaries: the list rows’ progress, spend and ETA at once (real services in Sandbox mode)', () => {
  const stack = useServicesStack();

  it('agrees with campaigns.status and campaigns.costs per campaign, in the order asked, leaving unknown ids out', async () => {
    const { services, call, value, capture, until } = await stack({ sandbox: true });
    const [mia] = await value<Account[]>('accounts.list', {});
    // One send, then a minute's wait: the rest stay queued, so the sending campaign has an ETA.
    await value('accounts.update', { id: mia!.id, name: mia!.name, platformAccountId: mia!.platformAccountId, transport: mia!.transport, limits: { perMinute: 1, minSpacingSeconds: 60, burst: 1 } });
    await value('audiences.fetch', { accountId: mia!.id });
    const audience = { all: [{ kind: 'spend_tier', tiers: ['whale', 'big'] }, { kind: 'has_tag', tag: 'VIP' }], any: [] };
    const generated = async (name: string, personalization: string) => generatedCampaign<Campaign>({ services, value }, { name, accountId: mia!.id, audience, template: 'Hi {name|babe}', personalization });

    const draft = await value<Campaign>('campaigns.create', { name: 'Empty draft' });
    const ai = await generated('AI written', 'ai_batched');
    const sending = await generated('On its way', 'template');
    const progress = capture<{ id: string; phase: string; done: number }>('campaigns.progress');
    await value('campaigns.approve', { id: sending.id });
    // The first send settles at once; the next waits a minute on the limiter.
    await until(() => progress.some((p) => p.id === sending.id && p.phase === 'send' && p.done === 1));

    const ids = [sending.id, 'no-such-campaign', draft.id, ai.id];
    const status = async () => Promise.all([sending, draft, ai].map((c) => value<CampaignStatus>('campaigns.status', { id: c.id })));
    const before = await status();
    const rows = await value<CampaignSummary[]>('campaigns.summaries', { ids });
    const after = await status();
    expect(rows.map((r) => r.id)).toEqual([sending.id, draft.id, ai.id]);

    for (const [i, c] of [sending, draft, ai].entries()) {
      const row = rows.find((r) => r.id === c.id)!;
      const s = after[i]!;
      const costs = await value<{ total: { micros: number } }>('campaigns.costs', { campaignId: c.id });
      expect(row).toEqual({ id: c.id, state: s.state, total: s.total, progress: s.progress, fromTemplate: s.fromTemplate, etaAt: row.etaAt, costMicros: costs.total.micros });
      // The ETA counts from now while the limiter's slot is past: the row's lies between the two status reads,
      // give or take the millisecond each read's conversion of the limiter's monotonic slot to wall time rounds.
      if (s.etaAt === null) expect(row.etaAt).toBeNull();
      else {
        expect(row.etaAt).toBeGreaterThanOrEqual(before[i]!.etaAt! - 1);
        expect(row.etaAt).toBeLessThanOrEqual(s.etaAt + 1);
      }
    }
    expect(rows[1]).toMatchObject({ state: 'draft', total: 0, progress: 0, costMicros: 0, etaAt: null });
    // AI spent on its messages; the template campaign spent nothing but is moving and has an ETA.
    expect(rows[2]!.costMicros).toBeGreaterThan(0);
    expect(rows[2]!.total).toBeGreaterThan(1);
    expect(rows[0]).toMatchObject({ state: 'sending', costMicros: 0 });
    expect(rows[0]!.progress).toBeCloseTo(1 / rows[0]!.total);
    expect(rows[0]!.etaAt).not.toBeNull();

    expect(await call('campaigns.summaries', { ids: Array.from({ length: MAX_LIST_PAGE + 1 }, (_, i) => `c-${i}`) })).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    await value('campaigns.cancel', { id: sending.id });
  });
});
