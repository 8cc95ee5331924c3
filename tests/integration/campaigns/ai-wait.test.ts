import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import { PROVIDER_IDS } from '../../../shared/ai';
import type { Campaign, CampaignStatus } from '../../../shared/campaigns';
import { manualTimers } from '../../support/outbox';
import { useServicesStack } from '../../support/services-stack';
import { useTempDirs } from '../../support/tmp';

interface Progress {
  id: string;
  phase: string;
  done: number;
  total: number;
  fromTemplate: number;
  fallback: string | null;
  finished: boolean;
  waitingForAi?: boolean;
  retryAt?: number | null;
}

describe('campaign generation waits for an unreachable AI provider (real services in Sandbox mode, sandbox provider, real SQLite; the waits on timers the test fires)', () => {
  const stack = useServicesStack();
  const tempDir = useTempDirs();
  const whales = { all: [{ kind: 'spend_tier', tiers: ['whale'] }], any: [] };

  const start = async (options: { aiWait?: { baseMs: number; maxMs: number; maxWaitMs: number }; dataDir?: string } = {}) => {
    const timers = manualTimers();
    const s = await stack({ sandbox: true, dataDir: options.dataDir, campaigns: { timers, aiWait: options.aiWait } });
    const progress = s.capture<Progress>('campaigns.progress');
    // The first event from now on for which `test` holds.
    const next = async (test: (p: Progress) => boolean) => {
      const from = progress.length;
      const hit = () => progress.slice(from).find(test);
      await s.until(() => hit() !== undefined);
      return hit()!;
    };
    const [mia] = await s.value<Account[]>('accounts.list', {});
    const down = async (fault: 'unauthorized' | null) => {
      for (const target of PROVIDER_IDS) await s.value('sandbox.setFault', { target, fault });
    };
    const rows = (id: string) =>
      s.services.profile.db
        .prepare<[string], { fan_id: string; status: string; source: string | null; reason: string | null; text: string | null; variant: number | null }>(
          'SELECT fan_id, status, source, reason, text, variant FROM campaign_recipients WHERE campaign_id = ? ORDER BY fan_id',
        )
        .all(id);
    const ledger = (id: string) =>
      s.services.profile.db.prepare<[string], { micros: number; ok: number }>("SELECT coalesce(sum(cost_micros), 0) AS micros, coalesce(sum(status = 'ok'), 0) AS ok FROM ai_costs WHERE campaign_id = ?").get(id)!;
    return { ...s, timers, progress, next, mia: mia!, down, rows, ledger };
  };

  const waitingOf = (id: string) => (p: Progress) => p.id === id && p.phase === 'generate' && p.waitingForAi === true;
  const finishedOf = (id: string) => (p: Progress) => p.id === id && p.phase === 'generate' && p.finished;

  it('keeps what it has, waits with a growing wait, and when the provider answers goes on: every fan one AI message, the cost the ledger sum', async () => {
    const { value, call, timers, next, mia, down, rows, ledger } = await start({ aiWait: { baseMs: 1_000, maxMs: 60_000, maxWaitMs: 600_000 } });
    await value('audiences.fetch', { accountId: mia.id });
    await down('unauthorized');
    const c = await value<Campaign>('campaigns.create', { name: 'Waits', accountId: mia.id, audience: whales, template: 'Hi {name|babe}', personalization: 'ai_batched' });
    const waiting = next(waitingOf(c.id));
    await value('campaigns.generate', { id: c.id });
    const w = await waiting;
    expect(w.retryAt).toEqual(expect.any(Number));
    expect(w.fromTemplate).toBe(0);
    const status = await value<CampaignStatus>('campaigns.status', { id: c.id });
    expect(status.generation).toEqual({ running: true, waitingForAi: true, retryAt: w.retryAt, fallback: null });
    expect(status.counts.pending).toBe(w.total);
    expect(rows(c.id).every((r) => r.status === 'pending' && r.text === null)).toBe(true);
    // Approve is refused while fans wait.
    expect(await call('campaigns.approve', { id: c.id })).toMatchObject({ ok: false, error: { code: 'campaign_generating' } });
    expect(timers.armed.map((t) => t.ms)).toEqual([1_000]);

    // Still down: the probe fails, the wait doubles.
    const again = next(waitingOf(c.id));
    timers.fire();
    await again;
    expect(timers.armed.map((t) => t.ms)).toEqual([2_000]);

    await down(null);
    const done = next(finishedOf(c.id));
    timers.fire();
    const p = await done;
    expect(p).toMatchObject({ done: p.total, fromTemplate: 0, fallback: null, waitingForAi: false });
    const all = rows(c.id);
    expect(all).toHaveLength(p.total);
    expect(all.every((r) => r.status === 'generated' && r.source === 'ai' && r.reason === null)).toBe(true);
    expect(new Set(all.map((r) => r.text)).size).toBe(all.length);
    expect(timers.armed).toHaveLength(0);

    const costs = await value<{ total: { micros: number }; messages: number; perMessageMicros: number }>('campaigns.costs', { campaignId: c.id });
    const l = ledger(c.id);
    expect(costs.total.micros).toBe(l.micros);
    expect(l.micros).toBeGreaterThan(0);
    // One answered request per batch of at most 40: nothing was asked (and paid) twice.
    expect(l.ok).toBe(Math.ceil(p.total / 40));
    expect(costs.messages).toBe(p.total);
    expect(costs.perMessageMicros).toBe(Math.round(l.micros / p.total));
    expect((await value<CampaignStatus>('campaigns.status', { id: c.id })).generation).toEqual({ running: false, waitingForAi: false, retryAt: null, fallback: null });
  });

  it('waits at most the bound (the last wait cut to fit), then the template writes every fan and the campaign says why', async () => {
    const { value, timers, next, mia, down, rows } = await start({ aiWait: { baseMs: 1_000, maxMs: 4_000, maxWaitMs: 2_500 } });
    await value('audiences.fetch', { accountId: mia.id });
    await down('unauthorized');
    const c = await value<Campaign>('campaigns.create', { name: 'Bound', accountId: mia.id, audience: whales, template: 'Hi {name|babe}', personalization: 'ai_batched' });
    const first = next(waitingOf(c.id));
    await value('campaigns.generate', { id: c.id });
    await first;
    const second = next(waitingOf(c.id));
    timers.fire();
    await second;
    const done = next(finishedOf(c.id));
    expect(timers.armed.map((t) => t.ms)).toEqual([1_500]);
    timers.fire();
    const p = await done;
    expect(p).toMatchObject({ done: p.total, fromTemplate: p.total, fallback: 'unreachable' });
    expect(rows(c.id).every((r) => r.status === 'generated' && r.source === 'template' && r.reason === 'ai_unreachable')).toBe(true);
    expect((await value<CampaignStatus>('campaigns.status', { id: c.id })).generation).toEqual({ running: false, waitingForAi: false, retryAt: null, fallback: 'unreachable' });
  });

  it('"try again now" (generate while waiting) probes at once, and the provider back writes every fan with AI', async () => {
    const { value, timers, next, mia, down, rows } = await start();
    await value('audiences.fetch', { accountId: mia.id });
    await down('unauthorized');
    const c = await value<Campaign>('campaigns.create', { name: 'Retry', accountId: mia.id, audience: whales, template: 'Hi {name|babe}', personalization: 'ai_batched' });
    const waiting = next(waitingOf(c.id));
    await value('campaigns.generate', { id: c.id });
    await waiting;
    expect(timers.armed).toHaveLength(1);
    await down(null);
    const done = next(finishedOf(c.id));
    // No timer fired: the second generate wakes the wait.
    await value('campaigns.generate', { id: c.id });
    expect(await done).toMatchObject({ fromTemplate: 0, fallback: null });
    expect(timers.armed).toHaveLength(0);
    expect(rows(c.id).every((r) => r.status === 'generated' && r.source === 'ai')).toBe(true);
  });

  it('"use the template now" ends the wait at once; refused for a campaign not ready', async () => {
    const { value, call, timers, next, mia, down, rows } = await start();
    await value('audiences.fetch', { accountId: mia.id });
    await down('unauthorized');
    const c = await value<Campaign>('campaigns.create', { name: 'Now', accountId: mia.id, audience: whales, template: 'Hi {name|babe}', personalization: 'ai_batched' });
    expect(await call('campaigns.useTemplate', { id: c.id })).toMatchObject({ ok: false, error: { code: 'campaign_state' } });
    const waiting = next(waitingOf(c.id));
    await value('campaigns.generate', { id: c.id });
    await waiting;
    expect(timers.armed).toHaveLength(1);
    const done = next(finishedOf(c.id));
    await value('campaigns.useTemplate', { id: c.id });
    expect(await done).toMatchObject({ fallback: 'unreachable' });
    expect(timers.armed).toHaveLength(0);
    expect(rows(c.id).every((r) => r.source === 'template' && r.reason === 'ai_unreachable')).toBe(true);
  });

  it('cancel ends a wait at once and leaves no wait armed', async () => {
    const { value, timers, next, mia, down, rows } = await start();
    await value('audiences.fetch', { accountId: mia.id });
    await down('unauthorized');
    const c = await value<Campaign>('campaigns.create', { name: 'Cancel', accountId: mia.id, audience: whales, template: 'Hi {name|babe}', personalization: 'ai_batched' });
    const waiting = next(waitingOf(c.id));
    await value('campaigns.generate', { id: c.id });
    await waiting;
    expect((await value<Campaign>('campaigns.cancel', { id: c.id })).state).toBe('cancelled');
    expect(timers.armed).toHaveLength(0);
    expect(rows(c.id).every((r) => r.status === 'pending')).toBe(true);
    expect((await value<CampaignStatus>('campaigns.status', { id: c.id })).generation).toMatchObject({ running: false, waitingForAi: false });
  });

  it('a run cut by a restart goes on by itself when the profile opens again', async () => {
    const dataDir = tempDir();
    const first = await start({ dataDir });
    await first.value('audiences.fetch', { accountId: first.mia.id });
    await first.down('unauthorized');
    const c = await first.value<Campaign>('campaigns.create', { name: 'Restart', accountId: first.mia.id, audience: whales, template: 'Hi {name|babe}', personalization: 'ai_batched' });
    const waiting = first.next(waitingOf(c.id));
    await first.value('campaigns.generate', { id: c.id });
    const { total } = await waiting;
    expect(total).toBeGreaterThan(0);
    await first.close();

    // A new host: the sandbox provider answers again, nobody calls generate.
    const second = await start({ dataDir });
    const written = () => second.rows(c.id).filter((r) => r.status === 'generated' && r.source === 'ai').length;
    await second.until(() => written() === total);
    expect(second.rows(c.id)).toHaveLength(total);
    expect((await second.value<Campaign>('campaigns.get', { id: c.id })).state).toBe('ready');
  });
});
