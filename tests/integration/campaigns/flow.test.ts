import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { Campaign, CampaignPreview, CampaignStatus } from '../../../shared/campaigns';
import { useServicesStack } from '../../support/services-stack';

describe('a campaign end to end (real services in Sandbox mode: sandbox AI provider, OnlyFans sandbox, real SQLite)', () => {
  const stack = useServicesStack();

  it('create, preview, generate, approve, send, done: the platform holds every recipient once and the cost is the ledger sum', async () => {
    const { services, call, value } = await stack({ sandbox: true });
    // Resolves on the first event for which `test` holds, checked as each event arrives.
    const when = (test: (name: string, payload: unknown) => Promise<boolean> | boolean) =>
      new Promise<void>((resolve) => {
        const off = services.events.subscribe((name, payload) => {
          void Promise.resolve(test(name, payload)).then((yes) => {
            if (yes) {
              off();
              resolve();
            }
          });
        });
      });

    const [mia] = await value<Account[]>('accounts.list', {});
    // The fastest pace an account allows, so a small audience goes in seconds.
    await value('accounts.update', { id: mia!.id, name: mia!.name, platformAccountId: mia!.platformAccountId, transport: mia!.transport, limits: { perMinute: 60, minSpacingSeconds: 1, burst: 10 } });
    await value('audiences.fetch', { accountId: mia!.id });
    // Big spenders tagged VIP: a handful of fans (8), so the sends fit the account's burst and the test stays short.
    const segment = { all: [{ kind: 'spend_tier', tiers: ['whale', 'big'] }, { kind: 'has_tag', tag: 'VIP' }], any: [] };

    const c = await value<Campaign>('campaigns.create', { name: 'Whales, personally', accountId: mia!.id, audience: segment, template: 'Hi {name|babe}, something new for you 💕', personalization: 'ai_batched' });
    const preview = await value<CampaignPreview>('campaigns.preview', { id: c.id, limit: 5 });
    const total = preview.total;
    expect(total).toBeGreaterThan(1);
    expect(total).toBeLessThanOrEqual(10);
    expect(preview.estimate!.costMicros).toBeGreaterThan(0);

    const generated = when((name, p) => name === 'campaigns.progress' && (p as { id: string; phase: string; finished: boolean }).id === c.id && (p as { phase: string }).phase === 'generate' && (p as { finished: boolean }).finished);
    expect((await value<Campaign>('campaigns.generate', { id: c.id })).state).toBe('ready');
    await generated;
    expect((await value<CampaignStatus>('campaigns.status', { id: c.id })).counts).toMatchObject({ generated: total, pending: 0 });

    const finished = when(async (name, p) => name === 'campaigns.changed' && (p as { id: string }).id === c.id && (await value<Campaign>('campaigns.get', { id: c.id })).state === 'done');
    const approved = await value<Campaign>('campaigns.approve', { id: c.id });
    expect(['queued', 'sending']).toContain(approved.state);
    // Approving twice is refused and queues nothing more.
    expect(await call('campaigns.approve', { id: c.id })).toMatchObject({ ok: false, error: { code: 'campaign_state' } });
    const during = await value<CampaignStatus>('campaigns.status', { id: c.id });
    expect(during.total).toBe(total);
    await finished;

    const status = await value<CampaignStatus>('campaigns.status', { id: c.id });
    expect(status).toMatchObject({ state: 'done', progress: 1, fromTemplate: 0, etaAt: null });
    expect(status.counts).toMatchObject({ sent: total, queued: 0, failed: 0, unknown: 0 });

    const received = services.profile.messaging.onlyFansSandbox!.messages(mia!.platformAccountId);
    const chats = received.map((m) => m.chatId);
    expect(chats).toHaveLength(total);
    expect(new Set(chats).size).toBe(total);
    const rows = services.profile.db.prepare<[string], { fan_id: string; text: string }>('SELECT fan_id, text FROM campaign_recipients WHERE campaign_id = ?').all(c.id);
    expect(new Set(chats)).toEqual(new Set(rows.map((r) => r.fan_id)));
    for (const r of rows) expect(received.find((m) => m.chatId === r.fan_id)!.text).toBe(r.text);

    const ledger = services.profile.db.prepare<[string], { micros: number; n: number }>('SELECT coalesce(sum(cost_micros), 0) AS micros, count(*) AS n FROM ai_costs WHERE campaign_id = ?').get(c.id)!;
    expect(ledger.n).toBeGreaterThan(0);
    const costs = await value<{ total: { micros: number; requests: number } }>('campaigns.costs', { campaignId: c.id });
    expect(costs.total.micros).toBe(ledger.micros);
    expect(costs.total.micros).toBeGreaterThan(0);
  });
});
