import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { Fan } from '../../../shared/audiences';
import type { Campaign, CampaignPreview } from '../../../shared/campaigns';
import { useServicesStack } from '../../support/services-stack';

describe('campaigns.preview (real services in Sandbox mode, real SQLite)', () => {
  const stack = useServicesStack();

  it('renders the first fans with the template and estimates the whole audience without calling AI', async () => {
    const { call, value } = await stack({ sandbox: true });
    const [mia] = await value<Account[]>('accounts.list', {});
    await value('audiences.fetch', { accountId: mia!.id });
    const everyone = { all: [], any: [] };
    const first = (await value<{ fans: Fan[] }>('audiences.list', { accountId: mia!.id, segment: everyone, limit: 3 })).fans;

    const c = await value<Campaign>('campaigns.create', { name: 'Hello', accountId: mia!.id, audience: everyone, template: 'Hi {name|babe}, from {creatorName|me}' });
    const plain = await value<CampaignPreview>('campaigns.preview', { id: c.id, limit: 3 });
    expect(plain.total).toBe(240);
    expect(plain.estimate).toBeNull();
    expect(plain.items).toEqual(first.map((f) => ({ fanId: f.fanId, fanName: f.displayName ?? f.name, text: `Hi ${f.name ?? 'babe'}, from ${mia!.name}` })));

    await value('campaigns.update', { id: c.id, personalization: 'ai_batched' });
    const ai = await value<CampaignPreview>('campaigns.preview', { id: c.id, limit: 3 });
    // 240 fans in batches of 40.
    expect(ai.estimate).toMatchObject({ requests: 6, priced: true });
    expect(ai.estimate!.inputTokens).toBeGreaterThan(0);
    expect(ai.estimate!.outputTokens).toBeGreaterThan(240);
    expect(ai.estimate!.cachedInputTokens).toBeLessThan(ai.estimate!.inputTokens);
    expect(ai.estimate!.costMicros).toBeGreaterThan(0);

    await value('campaigns.update', { id: c.id, personalization: 'ai_variants', variants: 3 });
    // 80 fans per variant: two batches each.
    expect((await value<CampaignPreview>('campaigns.preview', { id: c.id, limit: 1 })).estimate).toMatchObject({ requests: 6 });

    // A smaller segment costs less; no request was made by any preview.
    await value('campaigns.update', { id: c.id, personalization: 'ai_batched', audience: { all: [{ kind: 'spend_tier', tiers: ['whale'] }], any: [] } });
    const whales = await value<CampaignPreview>('campaigns.preview', { id: c.id, limit: 20 });
    expect(whales.total).toBeLessThan(240);
    expect(whales.estimate!.costMicros).toBeLessThan(ai.estimate!.costMicros);
    expect(await value<{ rows: unknown[] }>('requests.list', {})).toMatchObject({ rows: [] });

    expect(await call('campaigns.preview', { id: c.id, limit: 21 })).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    const bare = await value<Campaign>('campaigns.create', { name: 'Bare' });
    expect(await call('campaigns.preview', { id: bare.id })).toMatchObject({ ok: false, error: { code: 'campaign_incomplete', issues: [{ path: ['accountId'] }, { path: ['audience'] }] } });
  });
});
