import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { AudienceProgress, Fan, ImportResult, SegmentCount } from '../../../shared/audiences';
import { useServicesStack } from '../../support/services-stack';

describe('audiences through the contract (real services, real SQLite, the Sandbox’s OnlyFans server)', () => {
  const stack = useServicesStack();

  async function start() {
    const { dataDir, services, call, value, capture } = await stack();
    const progress = capture<AudienceProgress>('audiences.progress');
    const changed = capture('audiences.changed');
    return { dataDir, services, call, value, progress, changed };
  }

  it('the Sandbox’s creators fetch their fans from the OnlyFans sandbox; built-in segments count them live', async () => {
    const { value, progress, changed } = await start();
    await value('settings.update', { sandboxMode: true });
    const [mia] = await value<Account[]>('accounts.list', {});
    expect(await value('audiences.fetch', { accountId: mia!.id })).toEqual({ imported: 240, updated: 0, pages: 2 });
    expect(progress.at(-1)).toEqual({ accountId: mia!.id, operation: 'fetch', bytes: 0, totalBytes: null, rows: 240, done: true });
    expect(changed).toEqual([{ accountId: mia!.id }]);

    const counts = await value<SegmentCount[]>('audiences.segments', { accountId: mia!.id });
    const by = Object.fromEntries(counts.map((c) => [c.name, c.count]));
    expect(by.everyone).toBe(240);
    // Every fan is in exactly one spend tier.
    expect(by.whales! + by.big_spenders! + by.regulars! + by.non_spenders!).toBe(240);
    expect(by.expired).toBeGreaterThan(0);

    const custom = await value<SegmentCount[]>('audiences.segments', {
      accountId: mia!.id,
      segments: [{ name: 'vip spenders', segment: { all: [{ kind: 'has_tag', tag: 'VIP' }], any: [{ kind: 'spend_tier', tiers: ['whale', 'big'] }] } }],
    });
    expect(custom).toHaveLength(1);
    const page = await value<{ fans: Fan[]; nextCursor: string | null }>('audiences.list', { accountId: mia!.id, segment: custom[0]!.segment, limit: 500 });
    expect(page.fans).toHaveLength(custom[0]!.count);
    expect(page.fans.every((f) => f.tags.includes('vip') && f.totalSpendMicros >= 200_000_000)).toBe(true);
  });

  it('imports a CSV with progress events, then lists the fans a page at a time', async () => {
    const { dataDir, value, progress, changed } = await start();
    await value('settings.update', { sandboxMode: true });
    const [, zoe] = await value<Account[]>('accounts.list', {});
    const path = join(dataDir, 'fans.csv');
    writeFileSync(path, ['fan id;name;total spend', ...Array.from({ length: 25 }, (_, i) => `z${String(i).padStart(2, '0')};n${i};${i},50`)].join('\n'));
    const result = await value<ImportResult>('audiences.import', { accountId: zoe!.id, path, mode: 'all_or_nothing' });
    expect(result).toEqual({ imported: 25, updated: 0, committed: true, errors: [], errorCount: 0 });
    expect(progress.filter((p) => p.operation === 'import').at(-1)).toMatchObject({ accountId: zoe!.id, done: true, rows: 25, totalBytes: expect.any(Number) });
    expect(changed).toEqual([{ accountId: zoe!.id }]);
    const first = await value<{ fans: Fan[]; nextCursor: string | null }>('audiences.list', { accountId: zoe!.id, limit: 10 });
    expect(first.fans.map((f) => f.fanId)).toEqual(Array.from({ length: 10 }, (_, i) => `z${String(i).padStart(2, '0')}`));
    expect(first.fans[3]).toMatchObject({ name: 'n3', totalSpendMicros: 3_500_000, source: 'csv' });
    const second = await value<{ fans: Fan[] }>('audiences.list', { accountId: zoe!.id, limit: 10, cursor: first.nextCursor });
    expect(second.fans[0]!.fanId).toBe('z10');
  });

  it('answers bad input with typed errors: unknown account, bad segment, refused file, an account with no platform', async () => {
    const { dataDir, call, value } = await start();
    const exportAccount = await value<Account>('accounts.create', { name: 'Export', platformAccountId: 'exp', transport: 'export', colour: 'sky' });
    const missing = await call('audiences.segments', { accountId: 'no-such-account' });
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not_found', code: 'account_not_found' } });
    const badSegment = await call('audiences.list', { accountId: exportAccount.id, segment: { all: [{ kind: 'new_subscribers', withinDays: 0 }] } });
    expect(badSegment).toMatchObject({ ok: false, error: { kind: 'invalid_input', code: 'invalid_input' } });
    const tiers = await call('audiences.segments', {
      accountId: exportAccount.id,
      segments: [{ name: 'x', segment: { all: [{ kind: 'spend_tier', tiers: ['big'], thresholds: { whale: 1, big: 2, regular: 3 } }] } }],
    });
    expect(tiers).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const png = join(dataDir, 'photo.csv');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    expect(await call('audiences.import', { accountId: exportAccount.id, path: png, mode: 'valid_rows' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', code: 'csv_binary' } });
    expect(await call('audiences.fetch', { accountId: exportAccount.id })).toMatchObject({ ok: false, error: { kind: 'conflict', code: 'fans_no_transport' } });
  });
});
