import { afterEach, describe, expect, it } from 'vitest';
import { type OnlyFansSandbox, startOnlyFansSandbox } from '../../../main/messaging/sandbox/server';
import { createOnlyFansHttpTransport, FANS_PAGE_SIZE } from '../../../main/messaging/transports/onlyfans-http';
import { manualClock } from '../../../main/ports/clock';
import { AppError } from '../../../shared/result';
import { audienceStack } from '../../support/audiences';
import { useTempDirs } from '../../support/tmp';

const KEY = 'of_fans_key_3Xk';

describe('fetching fans from the OnlyFans sandbox through the real HTTP transport', () => {
  const tempDir = useTempDirs();
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(fansPerAccount = 450) {
    const stack = await audienceStack(tempDir());
    cleanups.push(() => stack.close());
    const server: OnlyFansSandbox = await startOnlyFansSandbox({ apiKey: KEY, clock: stack.clock, fansPerAccount });
    cleanups.push(() => server.close());
    const transport = (apiKey = KEY, account = 'mia') => createOnlyFansHttpTransport({ baseUrl: server.url, apiKey, account, clock: stack.clock });
    return { ...stack, server, transport };
  }

  it('the sandbox seeds the same realistic fans per account on every start, and different ones per account', async () => {
    const a = await startOnlyFansSandbox({ apiKey: KEY, clock: manualClock(Date.UTC(2026, 5, 1)) });
    const b = await startOnlyFansSandbox({ apiKey: KEY, clock: manualClock(Date.UTC(2026, 5, 1)) });
    cleanups.push(() => a.close(), () => b.close());
    expect(a.fans('mia')).toEqual(b.fans('mia'));
    expect(a.fans('mia')).toHaveLength(240);
    expect(a.fans('zoe')[0]).not.toEqual(a.fans('mia')[0]);
    const spend = a.fans('mia').map((f) => f.totalSpent);
    expect(spend.filter((s) => s === 0).length).toBeGreaterThan(40);
    expect(spend.filter((s) => s >= 1000).length).toBeGreaterThan(2);
    expect(a.fans('mia').filter((f) => f.expiresAt !== null && Date.parse(f.expiresAt) < Date.UTC(2026, 5, 1)).length).toBeGreaterThan(20);
  });

  it('listFans pages with a cursor until the last page; spend arrives in micro-dollars', async () => {
    const { transport, server } = await setup();
    const t = transport();
    const first = await t.listFans(null);
    if (!first.ok) throw new Error(first.detail);
    expect(first.fans).toHaveLength(FANS_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const wire = server.fans('mia')[0]!;
    expect(first.fans[0]).toEqual({
      fanId: wire.id,
      name: wire.username,
      displayName: wire.displayName,
      totalSpendMicros: Math.round(wire.totalSpent * 100) * 10_000,
      subscribedAt: Date.parse(wire.subscribedAt),
      expiresAt: wire.expiresAt === null ? null : Date.parse(wire.expiresAt),
      tags: wire.tags,
    });
    const bad = await t.listFans('not-a-cursor');
    expect(bad).toMatchObject({ ok: false, reason: 'bad_request' });
  });

  it('imports every fan of the account in one go, and a second fetch updates rather than duplicates', async () => {
    const { transport, audiences, account, fans, server } = await setup();
    const progress: number[] = [];
    const result = await audiences.fetch(account.id, transport(), (n) => progress.push(n));
    expect(result).toEqual({ imported: 450, updated: 0, pages: 3 });
    expect(progress).toEqual([200, 400, 450]);
    const stored = fans();
    expect(stored.map((f) => f.fan_id)).toEqual(server.fans('mia').map((f) => f.id).sort());
    expect(stored.every((f) => f.source === 'platform')).toBe(true);
    expect(await audiences.fetch(account.id, transport())).toEqual({ imported: 0, updated: 450, pages: 3 });
    expect(fans()).toHaveLength(450);
  });

  it('a page that fails midway, or a refused key, leaves the account’s fans as they were', async () => {
    const { transport, audiences, account, fans, server } = await setup();
    server.failFansAfter('mia', 1);
    const err = await audiences.fetch(account.id, transport()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'fans_fetch_failed', params: { reason: 'server_error' } });
    expect(fans()).toEqual([]);
    await expect(audiences.fetch(account.id, transport('wrong-key'))).rejects.toMatchObject({ code: 'fans_fetch_failed', params: { reason: 'unauthorized' } });
    expect(fans()).toEqual([]);
  });
});
