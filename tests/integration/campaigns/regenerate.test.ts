import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { Campaign, CampaignStatus } from '../../../shared/campaigns';
import { useServicesStack } from '../../support/services-stack';

interface Progress {
  id: string;
  phase: string;
  finished: boolean;
  total: number;
}

describe('edits make generated messages stale; A/B counts per variant (real services in Sandbox mode, sandbox provider, real SQLite)', () => {
  const stack = useServicesStack();
  const whales = { all: [{ kind: 'spend_tier', tiers: ['whale'] }], any: [] };

  const start = async () => {
    const s = await stack({ sandbox: true });
    const progress = s.capture<Progress>('campaigns.progress');
    const generate = async (id: string) => {
      const from = progress.length;
      await s.value('campaigns.generate', { id });
      await s.until(() => progress.slice(from).some((p) => p.id === id && p.phase === 'generate' && p.finished));
    };
    const [mia] = await s.value<Account[]>('accounts.list', {});
    await s.value('audiences.fetch', { accountId: mia!.id });
    const rows = (id: string) =>
      s.services.profile.db
        .prepare<[string], { fan_id: string; status: string; text: string | null; source: string | null; variant: number | null }>(
          'SELECT fan_id, status, text, source, variant FROM campaign_recipients WHERE campaign_id = ? ORDER BY fan_id',
        )
        .all(id);
    return { ...s, generate, mia: mia!, rows };
  };

  it('a name or schedule edit keeps the messages; a template edit sends them back to pending and the next generate rewrites them; so does a persona edit', async () => {
    const { value, generate, mia, rows } = await start();
    const c = await value<Campaign>('campaigns.create', { name: 'Edits', accountId: mia.id, audience: whales, template: 'Hi {name|babe}' });
    await generate(c.id);
    const first = rows(c.id);
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((r) => r.status === 'generated')).toBe(true);

    const renamed = await value<Campaign>('campaigns.update', { id: c.id, name: 'Edits, renamed', startAt: null });
    expect(renamed.state).toBe('draft');
    expect(rows(c.id)).toEqual(first);
    // Autosave resending the same template is no change either.
    await value('campaigns.update', { id: c.id, template: 'Hi {name|babe}' });
    expect(rows(c.id)).toEqual(first);

    await value('campaigns.update', { id: c.id, template: 'Hello {name|love}, new set tonight' });
    expect(rows(c.id).map((r) => [r.fan_id, r.status, r.text])).toEqual(first.map((r) => [r.fan_id, 'pending', null]));
    await generate(c.id);
    const second = rows(c.id);
    expect(second.every((r) => r.status === 'generated' && r.text!.startsWith('Hello '))).toBe(true);
    expect(second.map((r) => r.text)).not.toEqual(first.map((r) => r.text));

    // The same persona again changes nothing; a new voice makes the account's ready campaign a stale draft.
    const persona = await value<{ persona: string; voice: string }>('personas.get', { accountId: mia.id });
    await value('personas.set', { accountId: mia.id, persona: persona.persona, voice: persona.voice });
    expect((await value<Campaign>('campaigns.get', { id: c.id })).state).toBe('ready');
    expect(rows(c.id)).toEqual(second);
    await value('personas.set', { accountId: mia.id, persona: persona.persona, voice: 'Short, playful, two emoji at most' });
    expect((await value<Campaign>('campaigns.get', { id: c.id })).state).toBe('draft');
    expect(rows(c.id).every((r) => r.status === 'pending' && r.text === null)).toBe(true);
    await generate(c.id);
    expect(rows(c.id).map((r) => r.text)).toEqual(second.map((r) => r.text));
  });

  it('a template edit while a campaign is queued is refused and leaves its recipients alone', async () => {
    const { value, call, generate, mia, rows } = await start();
    const c = await value<Campaign>('campaigns.create', { name: 'Queued', accountId: mia.id, audience: whales, template: 'Hi {name|babe}' });
    await generate(c.id);
    await value('campaigns.approve', { id: c.id });
    await value('campaigns.pause', { id: c.id });
    const before = rows(c.id);
    expect(await call('campaigns.update', { id: c.id, template: 'Other' })).toMatchObject({ ok: false, error: { code: 'campaign_state' } });
    expect(rows(c.id)).toEqual(before);
  });

  it('A/B: status counts each variant, every fan in exactly one; the costs divide by the messages AI wrote', async () => {
    const { value, generate, mia, rows } = await start();
    // A fan's display name as a restricted word: AI's texts for them are refused, the template's is blocked, and still counted in its variant.
    const fans = (await value<{ fans: Array<{ displayName: string | null }> }>('audiences.list', { accountId: mia.id, segment: whales, limit: 500 })).fans;
    await value('restricted.set', { words: [fans.find((f) => f.displayName && f.displayName.length >= 3)!.displayName!] });
    const c = await value<Campaign>('campaigns.create', { name: 'AB', accountId: mia.id, audience: whales, template: 'Hi {displayName|babe}', personalization: 'ai_variants', variants: 3 });
    await generate(c.id);
    const all = rows(c.id);
    const status = await value<CampaignStatus>('campaigns.status', { id: c.id });
    expect(status.variants.map((v) => v.variant)).toEqual([0, 1, 2]);
    for (const v of status.variants) {
      const mine = all.filter((r) => r.variant === v.variant);
      expect(mine.length).toBeGreaterThan(0);
      expect(v.counts).toMatchObject({ generated: mine.filter((r) => r.status === 'generated').length, blocked: mine.filter((r) => r.status === 'blocked').length, pending: 0 });
    }
    expect(status.variants.reduce((n, v) => n + Object.values(v.counts).reduce((a, b) => a + b, 0), 0)).toBe(status.total);
    expect(all.filter((r) => r.status === 'blocked').length).toBeGreaterThan(0);
    expect(all.every((r) => r.variant !== null)).toBe(true);
    const ai = all.filter((r) => r.source === 'ai').length;
    expect(ai).toBeGreaterThan(0);
    const costs = await value<{ total: { micros: number; requests: number }; messages: number; perMessageMicros: number | null }>('campaigns.costs', { campaignId: c.id });
    expect(costs.messages).toBe(ai);
    // Many messages per request: the old per-request divisor would be tens of times larger.
    expect(costs.total.requests).toBeLessThan(ai);
    expect(costs.perMessageMicros).toBe(Math.round(costs.total.micros / ai));
    // Each request wrote for one variant: the variants' costs are the campaign's, split.
    expect(status.variants.every((v) => v.costMicros > 0)).toBe(true);
    expect(status.variants.reduce((n, v) => n + v.costMicros, 0)).toBe(costs.total.micros);

    // Template mode reports no variants.
    const plain = await value<Campaign>('campaigns.create', { name: 'Plain', accountId: mia.id, audience: whales, template: 'Hi {name|babe}' });
    await generate(plain.id);
    expect((await value<CampaignStatus>('campaigns.status', { id: plain.id })).variants).toEqual([]);
  });
});
