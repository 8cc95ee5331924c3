import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { Campaign, CampaignStatus } from '../../../shared/campaigns';
import { generatedCampaign, useServicesStack } from '../../support/services-stack';

describe('a campaign through the send queue: approve once, pause, resume, cancel (real services in Sandbox mode)', () => {
  const stack = useServicesStack();

  const start = async () => {
    const { services, call, value } = await stack({ sandbox: true });
    const [mia] = await value<Account[]>('accounts.list', {});
    // The slowest pace: one send, then a minute's wait, so the rest stay queued while the test acts.
    await value('accounts.update', { id: mia!.id, name: mia!.name, platformAccountId: mia!.platformAccountId, transport: mia!.transport, limits: { perMinute: 1, minSpacingSeconds: 60, burst: 1 } });
    await value('audiences.fetch', { accountId: mia!.id });
    const generated = async (name: string) => generatedCampaign<Campaign>({ services, value }, { name, accountId: mia!.id, audience: { all: [{ kind: 'spend_tier', tiers: ['whale', 'big'] }, { kind: 'has_tag', tag: 'VIP' }], any: [] }, template: 'Hi {name|babe}' });
    const sends = (jobId: string) => services.profile.db.prepare<[string], { state: string; n: number }>('SELECT state, count(*) AS n FROM sends WHERE job_id = ? GROUP BY state').all(jobId);
    return { services, call, value, mia: mia!, generated, sends };
  };

  it('approving after a crash between the queue’s commit and the campaign’s finds the sends already queued: one per fan', async () => {
    const { services, value, mia, generated, sends } = await start();
    const c = await generated('Crash');
    const rows = services.profile.db.prepare<[string], { fan_id: string; text: string }>("SELECT fan_id, text FROM campaign_recipients WHERE campaign_id = ? AND status = 'generated'").all(c.id);
    // What approve's enqueue committed before the process died: the campaign never heard of it.
    services.profile.messaging.queue.enqueueMany(rows.map((r) => ({ accountId: mia.id, chatId: r.fan_id, text: r.text, jobId: c.id, idempotencyKey: `campaign:${c.id}:${r.fan_id}` })));
    expect((await value<Campaign>('campaigns.approve', { id: c.id })).state).not.toBe('ready');
    expect(sends(c.id).reduce((n, s) => n + s.n, 0)).toBe(rows.length);
    const status = await value<CampaignStatus>('campaigns.status', { id: c.id });
    expect(status.counts.generated).toBe(0);
    expect(status.counts.queued + status.counts.sent).toBe(rows.length);
  });

  it('approve is refused while generating or twice; pause stops the ETA, resume brings it back, cancel cancels every send not gone', async () => {
    const { value, call, mia, generated, sends, services } = await start();
    const c = await generated('Slow');
    const approved = await value<Campaign>('campaigns.approve', { id: c.id });
    expect(approved.state === 'queued' || approved.state === 'sending').toBe(true);
    expect(await call('campaigns.approve', { id: c.id })).toMatchObject({ ok: false, error: { code: 'campaign_state' } });
    const queued = await value<CampaignStatus>('campaigns.status', { id: c.id });
    expect(queued.counts.queued).toBeGreaterThan(1);
    // The rest wait a minute apart behind the limiter's next slot.
    expect(queued.etaAt).not.toBeNull();

    expect((await value<Campaign>('campaigns.pause', { id: c.id })).state).toBe('paused');
    expect((await value<CampaignStatus>('campaigns.status', { id: c.id })).etaAt).toBeNull();
    expect(await call('campaigns.pause', { id: c.id })).toMatchObject({ ok: false, error: { code: 'campaign_state' } });
    const resumed = await value<Campaign>('campaigns.resume', { id: c.id });
    expect(['queued', 'sending']).toContain(resumed.state);
    expect((await value<CampaignStatus>('campaigns.status', { id: c.id })).etaAt).not.toBeNull();

    expect((await value<Campaign>('campaigns.cancel', { id: c.id })).state).toBe('cancelled');
    const after = Object.fromEntries(sends(c.id).map((s) => [s.state, s.n]));
    expect(after.queued ?? 0).toBe(0);
    expect(after.cancelled).toBeGreaterThan(0);
    // What the platform holds is exactly what the queue says went out.
    await services.profile.messaging.queue.idle();
    const went = services.profile.db.prepare<[string], number>("SELECT count(*) FROM sends WHERE job_id = ? AND state IN ('sent', 'sending')").pluck().get(c.id)!;
    expect(services.profile.messaging.onlyFansSandbox!.messages(mia.platformAccountId)).toHaveLength(went);
    expect(await call('campaigns.resume', { id: c.id })).toMatchObject({ ok: false, error: { code: 'campaign_state' } });
  });
});
