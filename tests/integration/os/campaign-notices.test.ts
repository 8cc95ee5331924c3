import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { Campaign } from '../../../shared/campaigns';
import type { Notice, Notifier } from '../../../main/ports/notifier';
import { campaignNotice } from '../../../main/campaigns/ends';
import { hostPortSchemas } from '../../../main/core/protocol';
import { events as eventSchemas } from '../../../shared/contract';
import { noticeOpenEvent } from '../../../shared/notices';
import { generatedCampaign, type ServicesStack, useServicesStack } from '../../support/services-stack';

/** A notifier standing in for the shell's port: answers from `answers` in turn (then true), and lets a test wait for the n-th ask. */
function recordingNotifier(answers: boolean[] = []) {
  const asked: Notice[] = [];
  const waiters: Array<() => void> = [];
  const notifier: Notifier = {
    async notify(notice) {
      asked.push(notice);
      for (const w of waiters.splice(0)) w();
      return answers.shift() ?? true;
    },
  };
  const asks = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (asked.length >= n ? resolve() : waiters.push(check));
      check();
    });
  return { notifier, asked, asks };
}

const campaignRow = (stack: ServicesStack, id: string) =>
  stack.services.profile.db.prepare<[string], { state: string; n: number }>("SELECT state, count(*) AS n FROM outbox WHERE topic = 'campaign.os' AND key = ? GROUP BY state").all(id);

describe('a campaign that ends tells the operator once, through the notify road (real services in Sandbox mode)', () => {
  const stack = useServicesStack();

  async function sendToDone(s: ServicesStack, name: string): Promise<Campaign> {
    const [mia] = await s.value<Account[]>('accounts.list', {});
    await s.value('accounts.update', { id: mia!.id, name: mia!.name, platformAccountId: mia!.platformAccountId, transport: mia!.transport, limits: { perMinute: 60, minSpacingSeconds: 1, burst: 10 } });
    await s.value('audiences.fetch', { accountId: mia!.id });
    const c = await generatedCampaign<Campaign>(s, { name, accountId: mia!.id, audience: { all: [{ kind: 'spend_tier', tiers: ['whale', 'big'] }, { kind: 'has_tag', tag: 'VIP' }], any: [] }, template: 'Hi {name|babe}' });
    await s.value('campaigns.approve', { id: c.id });
    return c;
  }

  it('a campaign sent to done: one notice for its page, worded with its name and counts; a restart does not repeat it', async () => {
    const first = recordingNotifier();
    const s = await stack({ sandbox: true, notifier: first.notifier });
    const c = await sendToDone(s, 'Whales');
    await first.asks(1);
    const [notice] = first.asked;
    expect(notice).toMatchObject({ id: `campaign:${c.id}`, level: 'info', path: `/campaigns/${c.id}`, title: 'Campaign “Whales” finished' });
    const status = await s.value<{ state: string; counts: { sent: number; failed: number } }>('campaigns.status', { id: c.id });
    expect(status.state).toBe('done');
    expect(notice!.body).toBe(`Sent ${status.counts.sent} · Failed 0`);
    // The shell's port accepts it as it is.
    expect(hostPortSchemas.notify.input.safeParse(notice).success).toBe(true);
    // Stopping the relay waits for the outcomes in flight to be recorded.
    await s.services.profile.relay.stop();
    expect(campaignRow(s, c.id)).toEqual([{ state: 'delivered', n: 1 }]);
    const dataDir = s.dataDir;
    await s.close();

    const again = recordingNotifier();
    const reopened = await stack({ dataDir, sandbox: true, notifier: again.notifier });
    expect((await reopened.value<Campaign>('campaigns.get', { id: c.id })).state).toBe('done');
    // A pass of its own over the reopened outbox: whatever is due would be delivered by it.
    await reopened.services.profile.relay.runOnce();
    expect(campaignRow(reopened, c.id)).toEqual([{ state: 'delivered', n: 1 }]);
    expect(again.asked.filter((n) => n.path === `/campaigns/${c.id}`)).toEqual([]);
    expect(first.asked).toHaveLength(1);
  });

  it('a notifier that answers false (no window could show it) is asked again until it shows the notice', async () => {
    const n = recordingNotifier([false]);
    const s = await stack({ sandbox: true, notifier: n.notifier, alerts: { relay: { random: () => 0 } } });
    const c = await sendToDone(s, 'Retry');
    await n.asks(2);
    expect(n.asked.map((x) => x.path)).toEqual([`/campaigns/${c.id}`, `/campaigns/${c.id}`]);
    await s.services.profile.relay.stop();
    expect(campaignRow(s, c.id)).toEqual([{ state: 'delivered', n: 1 }]);
    expect(s.services.profile.db.prepare<[string], { attempts: number }>("SELECT attempts FROM outbox WHERE topic = 'campaign.os' AND key = ?").get(c.id)!.attempts).toBe(2);
  });

  it('a campaign cancelled while sending is announced as cancelled; a draft cancelled before it ever sent is not', async () => {
    const n = recordingNotifier();
    const s = await stack({ sandbox: true, notifier: n.notifier });
    const [mia] = await s.value<Account[]>('accounts.list', {});
    // One send, then a minute's wait: the campaign is still sending when it is cancelled.
    await s.value('accounts.update', { id: mia!.id, name: mia!.name, platformAccountId: mia!.platformAccountId, transport: mia!.transport, limits: { perMinute: 1, minSpacingSeconds: 60, burst: 1 } });
    await s.value('audiences.fetch', { accountId: mia!.id });
    const c = await generatedCampaign<Campaign>(s, { name: 'Stopped', accountId: mia!.id, audience: { all: [{ kind: 'spend_tier', tiers: ['whale', 'big'] }, { kind: 'has_tag', tag: 'VIP' }], any: [] }, template: 'Hi {name|babe}' });
    await s.value('campaigns.approve', { id: c.id });
    await s.value('campaigns.cancel', { id: c.id });
    const draft = await s.value<Campaign>('campaigns.create', { name: 'Never sent' });
    await s.value('campaigns.cancel', { id: draft.id });
    await n.asks(1);
    await s.services.profile.relay.stop();
    expect(n.asked).toEqual([expect.objectContaining({ level: 'warning', title: 'Campaign “Stopped” was cancelled', path: `/campaigns/${c.id}` })]);
    expect(campaignRow(s, draft.id)).toEqual([]);
  });

  it('words a cancelled or partly failed end as a warning, in French when the settings say so', () => {
    const end = { id: 'c1', name: 'Été', outcome: 'cancelled' as const, sent: 1200, failed: 3, endedAt: 0 };
    expect(campaignNotice(end, 'fr')).toEqual({ id: 'campaign:c1', level: 'warning', title: 'Campagne « Été » annulée', body: `Envoyés ${new Intl.NumberFormat('fr-FR').format(1200)} · Échecs 3`, path: '/campaigns/c1' });
    expect(campaignNotice({ ...end, outcome: 'done' }, 'en')).toMatchObject({ level: 'warning', title: 'Campaign “Été” finished', body: 'Sent 1,200 · Failed 3' });
    expect(campaignNotice({ ...end, outcome: 'done', failed: 0 }, 'en').level).toBe('info');
  });

  it('the notify port, the browser host toast and the shell click take alert and campaign paths, and nothing else', () => {
    const notice = { id: 'x', level: 'info', title: 't', body: 'b' };
    for (const path of ['/alerts/al-1', '/campaigns/0190a0b1-7c2d-7abc-8def-0123456789ab']) {
      expect(hostPortSchemas.notify.input.safeParse({ ...notice, path }).success).toBe(true);
      expect(eventSchemas['alert.fired'].safeParse({ ...notice, path }).success).toBe(true);
    }
    for (const path of ['/campaigns/../settings', '/settings', '/campaigns/', 'https://example.com/alerts/1', '/alerts/1/../../x']) {
      expect(hostPortSchemas.notify.input.safeParse({ ...notice, path }).success).toBe(false);
      expect(eventSchemas['alert.fired'].safeParse({ ...notice, path }).success).toBe(false);
    }
    expect(noticeOpenEvent('/campaigns/abc')).toBe('campaign.open');
    expect(noticeOpenEvent('/alerts/abc')).toBe('alert.open');
    expect(eventSchemas['campaign.open'].safeParse({ path: '/campaigns/abc' }).success).toBe(true);
  });
});
