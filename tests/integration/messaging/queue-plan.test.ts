import { describe, expect, it } from 'vitest';
import { startOnlyFansSandbox } from '../../../main/messaging/sandbox/server';
import { OPEN_LAYERS, SANDBOX_KEY, type SendingStack, useSendingStacks } from '../../support/sending';

/**
 * The plan limits the API reports (GET /api/me) reach the limiter: the global layer is lowered to
 * the key's plan, an account is tightened to the plan's account limits. The sandbox reports its
 * plan as the real API would; the stack's own limits (FAST, OPEN_LAYERS) are far looser, so any
 * wait seen here comes from the plan.
 */
describe('send queue: the plan limits the API reports (loopback OnlyFans sandbox)', () => {
  const { stack, defer } = useSendingStacks();
  const planned = async (perMinute: number, planLimits = true) => {
    const server = await startOnlyFansSandbox({ apiKey: SANDBOX_KEY, plan: { plan: 'starter', perMinute } });
    defer(() => server.close());
    return stack({ server, queue: planLimits ? { planLimits: { base: OPEN_LAYERS } } : {} });
  };
  const throttles = (s: SendingStack) => s.db.prepare('SELECT source FROM send_throttles').pluck().all();

  it('a plan of 120 a minute holds the global layer: of three accounts sending at once, one waits on it, and all go once', async () => {
    const s = await planned(120);
    const accounts = [];
    for (const name of ['ann', 'bea', 'cat']) accounts.push(await s.addAccount(name));
    const sends = accounts.map((a) => s.queue.enqueue({ accountId: a.id, chatId: 'f', text: `to ${a.platformAccountId}` }));
    await s.queue.start();
    await s.queue.idle();
    expect(sends.map((x) => s.queue.get(x.id)!.state)).toEqual(['sent', 'sent', 'sent']);
    expect(s.server.allMessages()).toHaveLength(3);
    // Only the plan's global rate (two a second, a burst of two) can have held a send back.
    expect(throttles(s)).toContain('global');
    expect(s.queue.stats().reduce((n, x) => n + x.throttled, 0)).toBeGreaterThanOrEqual(1);
  });

  it('without the plan applied the same sends never wait on the global layer (the control for the test above)', async () => {
    const s = await planned(120, false);
    const accounts = [];
    for (const name of ['ann', 'bea', 'cat']) accounts.push(await s.addAccount(name));
    for (const a of accounts) s.queue.enqueue({ accountId: a.id, chatId: 'f', text: `to ${a.platformAccountId}` });
    await s.queue.start();
    await s.queue.idle();
    expect(s.server.allMessages()).toHaveLength(3);
    expect(throttles(s)).toEqual([]);
  });

  it("tightens an account to the plan's account limits (3 s apart) when they are stricter than its own", async () => {
    const s = await planned(6_000);
    const a = await s.addAccount('dee');
    const first = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'first' });
    const second = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'second' });
    await s.queue.start();
    await s.until(() => s.queue.get(first.id)!.state === 'sent');
    const [stats] = s.queue.stats(a.id);
    // Its own pace (FAST) would free the next slot 50 ms on; the plan's 3 s spacing holds it.
    expect(stats).toMatchObject({ limitedBy: 'account', queued: 1 });
    expect(stats!.nextSlotAt - s.queue.get(first.id)!.sentAt!).toBeGreaterThan(1_000);
    expect(s.queue.get(second.id)!.state).toBe('queued');
  });
});
