import { describe, expect, it } from 'vitest';
import { Recipients } from '../../../main/campaigns/recipients';
import { manualClock } from '../../../main/ports/clock';
import type { Account } from '../../../shared/accounts';
import { PROVIDER_IDS } from '../../../shared/ai';
import type { Fan } from '../../../shared/audiences';
import type { Campaign } from '../../../shared/campaigns';
import { renderTemplate } from '../../../shared/template';
import { useServicesStack } from '../../support/services-stack';

interface Progress {
  id: string;
  done: number;
  total: number;
  fromTemplate: number;
  fallback: string | null;
  finished: boolean;
  waitingForAi?: boolean;
}

describe('campaigns.generate (real services in Sandbox mode: sandbox provider, OnlyFans sandbox fans, real SQLite)', () => {
  const stack = useServicesStack();

  const start = async () => {
    const { services, call, value, capture, until } = await stack({ sandbox: true });
    const progress = capture<Progress>('campaigns.progress');
    // The next run of `id` to finish from now: an earlier run's last event does not count.
    const finished = async (id: string) => {
      const from = progress.length;
      const mine = () => progress.slice(from).find((p) => p.id === id && p.finished);
      await until(() => mine() !== undefined);
      return mine()!;
    };
    const [mia] = await value<Account[]>('accounts.list', {});
    await value('audiences.fetch', { accountId: mia!.id });
    const recipients = () => new Recipients(services.profile.db, manualClock());
    return { services, call, value, progress, finished, until, mia: mia!, recipients };
  };
  const whales = { all: [{ kind: 'spend_tier', tiers: ['whale'] }], any: [] };

  it('template mode: returns at once as ready, writes every fan once, blocks a restricted name, and a second run changes nothing', async () => {
    const { value, finished, mia, recipients, progress } = await start();
    const fans = (await value<{ fans: Fan[] }>('audiences.list', { accountId: mia.id, segment: whales, limit: 500 })).fans;
    const banned = fans.find((f) => f.name && f.name.length >= 3)!;
    await value('restricted.set', { words: [banned.name!] });
    const c = await value<Campaign>('campaigns.create', { name: 'Whales', accountId: mia.id, audience: whales, template: 'Hi {name|babe} 💕' });
    const done = finished(c.id);
    expect((await value<Campaign>('campaigns.generate', { id: c.id })).state).toBe('ready');
    expect(await done).toMatchObject({ done: fans.length, total: fans.length, fromTemplate: 0, fallback: null });

    const rows = recipients().list(c.id, { limit: 1000 }).items;
    expect(rows.map((r) => r.fanId).sort()).toEqual(fans.map((f) => f.fanId).sort());
    const blockedFans = fans.filter((f) => f.name?.toLowerCase() === banned.name!.toLowerCase());
    for (const r of rows) {
      const fan = fans.find((f) => f.fanId === r.fanId)!;
      expect(r.text).toBe(renderTemplate('Hi {name|babe} 💕', { name: fan.name, displayName: fan.displayName }));
      if (blockedFans.includes(fan)) expect(r).toMatchObject({ status: 'blocked', reason: banned.name!.toLowerCase() });
      else expect(r).toMatchObject({ status: 'generated', source: 'template' });
    }
    expect(blockedFans.length).toBeGreaterThan(0);

    const before = progress.length;
    const again = finished(c.id);
    await value('campaigns.generate', { id: c.id });
    expect(await again).toMatchObject({ total: 0, done: 0 });
    expect(progress.length).toBeGreaterThan(before);
    expect(recipients().list(c.id, { limit: 1000 }).items).toEqual(rows);

    // A narrower audience: the fans who left it are dropped before anything is queued for them.
    const vip = { all: [{ kind: 'spend_tier', tiers: ['whale'] }, { kind: 'has_tag', tag: 'VIP' }], any: [] };
    const kept = (await value<{ fans: Fan[] }>('audiences.list', { accountId: mia.id, segment: vip, limit: 500 })).fans;
    expect(kept.length).toBeLessThan(fans.length);
    await value('campaigns.update', { id: c.id, audience: vip });
    const narrowed = finished(c.id);
    await value('campaigns.generate', { id: c.id });
    await narrowed;
    expect(recipients().list(c.id, { limit: 1000 }).items.map((r) => r.fanId).sort()).toEqual(kept.map((f) => f.fanId).sort());
  });

  it('AI per fan: every fan gets an AI message costed on the campaign; with the provider down the template writes them and the campaign says so', async () => {
    const { value, call, finished, until, progress, mia, recipients } = await start();
    const c = await value<Campaign>('campaigns.create', { name: 'AI', accountId: mia.id, audience: whales, template: 'Hi {name|babe}', personalization: 'ai_batched' });
    const done = finished(c.id);
    await value('campaigns.generate', { id: c.id });
    const p = await done;
    expect(p).toMatchObject({ fromTemplate: 0, fallback: null });
    expect(p.done).toBe(p.total);
    const rows = recipients().list(c.id, { limit: 1000 }).items;
    expect(rows.every((r) => r.source === 'ai' && r.text)).toBe(true);
    expect(new Set(rows.map((r) => r.text)).size).toBe(rows.length);
    expect(rows.length).toBe(p.total);
    expect(p.total).toBeGreaterThan(0);
    const costs = await value<{ total: { micros: number; requests: number } }>('campaigns.costs', { campaignId: c.id });
    expect(costs.total.micros).toBeGreaterThan(0);
    expect(costs.total.requests).toBeGreaterThanOrEqual(Math.ceil(p.total / 40));

    // With the provider down the run waits for it (tests/integration/campaigns/ai-wait.test.ts); the operator can say "use the template now".
    for (const target of PROVIDER_IDS) await value('sandbox.setFault', { target, fault: 'unauthorized' });
    const down = await value<Campaign>('campaigns.create', { name: 'Down', accountId: mia.id, audience: whales, template: 'Hi {name|babe}', personalization: 'ai_batched' });
    const waiting = progress.length;
    const fell = finished(down.id);
    await value('campaigns.generate', { id: down.id });
    await until(() => progress.slice(waiting).some((p) => p.id === down.id && p.waitingForAi === true));
    await value('campaigns.useTemplate', { id: down.id });
    const q = await fell;
    expect(q).toMatchObject({ fallback: 'unreachable', fromTemplate: q.total });
    expect(recipients().fromTemplate(down.id)).toBe(q.total);
    expect(recipients().list(down.id, { limit: 1000 }).items.every((r) => r.status === 'generated' && r.reason === 'ai_unreachable')).toBe(true);

    // Cancel is final: generate afterwards is refused.
    expect((await value<Campaign>('campaigns.cancel', { id: down.id })).state).toBe('cancelled');
    expect(await call('campaigns.generate', { id: down.id })).toMatchObject({ ok: false, error: { code: 'campaign_state' } });
  });
});
