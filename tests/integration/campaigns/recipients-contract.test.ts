import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { Campaign, RecipientRows } from '../../../shared/campaigns';
import { useServicesStack } from '../../support/services-stack';

/** `campaigns.recipients` through the contract: the page the virtual table asks for, by position. */
describe('campaigns.recipients (real services, real SQLite)', () => {
  const stack = useServicesStack();

  /** A campaign of `n` recipients fan-00000… with a few named fans, statuses spread by fan number. */
  async function seeded(n: number) {
    const s = await stack();
    const account = await s.value<Account>('accounts.create', { name: 'Mia', platformAccountId: 'mia', transport: 'sandbox' });
    const c = await s.value<Campaign>('campaigns.create', { name: 'Big one', accountId: account.id, template: 'Hi {name}' });
    const db = s.services.profile.db;
    const fan = (i: number) => `fan-${String(i).padStart(5, '0')}`;
    const insert = db.prepare("INSERT INTO campaign_recipients (campaign_id, fan_id, status, reason, text, source, updated_at) VALUES (?, ?, ?, ?, ?, 'template', 1)");
    const named = db.prepare("INSERT INTO fans (account_id, fan_id, name, display_name, source, created_at, updated_at) VALUES (?, ?, ?, ?, 'csv', 1, 1)");
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const status = i % 10 === 3 ? 'blocked' : i % 10 === 7 ? 'failed' : 'sent';
        insert.run(c.id, fan(i), status, status === 'blocked' ? 'nude' : status === 'failed' ? 'rate_limited' : null, `Hi ${i}`);
        if (i % 1000 === 0) named.run(account.id, fan(i), `name ${i}`, `Display ${i}`);
      }
    })();
    return { ...s, c, fan };
  }

  it('pages by position in fan id order with the filtered total, names the fans, and reaches the end', async () => {
    const { value, c, fan } = await seeded(50_000);
    const first = await value<RecipientRows>('campaigns.recipients', { id: c.id, offset: 0, limit: 3 });
    expect(first.total).toBe(50_000);
    expect(first.items.map((r) => r.fanId)).toEqual([fan(0), fan(1), fan(2)]);
    expect(first.items[0]).toMatchObject({ fanName: 'name 0', fanDisplayName: 'Display 0', status: 'sent', text: 'Hi 0', source: 'template' });
    expect(first.items[1]).toMatchObject({ fanName: null, fanDisplayName: null });

    // The last page: short, ending at the last fan; past the end is empty, the total unchanged.
    const last = await value<RecipientRows>('campaigns.recipients', { id: c.id, offset: 49_000, limit: 1000 });
    expect(last.items).toHaveLength(1000);
    expect(last.items[0]!.fanId).toBe(fan(49_000));
    expect(last.items[0]!.fanDisplayName).toBe('Display 49000');
    expect(last.items.at(-1)!.fanId).toBe(fan(49_999));
    const tail = await value<RecipientRows>('campaigns.recipients', { id: c.id, offset: 49_998, limit: 1000 });
    expect(tail.items.map((r) => r.fanId)).toEqual([fan(49_998), fan(49_999)]);
    expect(await value<RecipientRows>('campaigns.recipients', { id: c.id, offset: 60_000, limit: 10 })).toEqual({ items: [], offset: 60_000, total: 50_000 });

    // Filtered: positions count within the filter, the total is the filter's.
    const blocked = await value<RecipientRows>('campaigns.recipients', { id: c.id, statuses: ['blocked'], offset: 4_999, limit: 10 });
    expect(blocked.total).toBe(5_000);
    expect(blocked.items.map((r) => [r.fanId, r.reason])).toEqual([[fan(49_993), 'nude']]);
    const bad = await value<RecipientRows>('campaigns.recipients', { id: c.id, statuses: ['failed', 'blocked'], offset: 0, limit: 4 });
    expect(bad.total).toBe(10_000);
    expect(bad.items.map((r) => r.fanId)).toEqual([fan(3), fan(7), fan(13), fan(17)]);
    expect((await value<RecipientRows>('campaigns.recipients', { id: c.id, statuses: ['pending'] })).total).toBe(0);
  });

  it('refuses bad input and unknown campaigns with typed errors', async () => {
    const { call, c } = await seeded(3);
    expect(await call('campaigns.recipients', { id: c.id, limit: 1001 })).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ path: ['limit'], code: 'too_big' }] } });
    expect(await call('campaigns.recipients', { id: c.id, offset: -1 })).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ path: ['offset'] }] } });
    expect(await call('campaigns.recipients', { id: c.id, statuses: ['lost'] })).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ path: ['statuses', 0] }] } });
    expect(await call('campaigns.recipients', { id: c.id, cursor: 'x' })).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect(await call('campaigns.recipients', { id: "x' OR 1=1 --" })).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect(await call('campaigns.recipients', { id: '019b0000-0000-7000-8000-000000000000' })).toMatchObject({ ok: false, error: { kind: 'not_found', code: 'campaign_not_found' } });
    expect(await call('campaigns.recipients', { id: c.id })).toMatchObject({ ok: true, value: { total: 3, offset: 0 } });
  });
});
