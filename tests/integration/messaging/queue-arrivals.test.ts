import { describe, expect, it } from 'vitest';
import type { LimiterTimers } from '../../../main/limits';
import { startOnlyFansSandbox } from '../../../main/messaging/sandbox/server';
import { createOnlyFansHttpTransport } from '../../../main/messaging/transports/onlyfans-http';
import { manualClock } from '../../../main/ports/clock';
import { startHoldingProxy } from '../../support/holding-proxy';
import { FAST, SANDBOX_KEY, useSendingStacks } from '../../support/sending';

const PACE_MARGIN_MS = 10;

/** The queue's timers on the test's clock: armed waits fire only when the test moves time past them. */
function manualTimers(clock: { monotonic(): number }) {
  const armed = new Set<{ at: number; fn: () => void }>();
  const onArm: Array<() => void> = [];
  const timers: LimiterTimers = {
    setTimeout(fn, ms) {
      const handle = { at: clock.monotonic() + ms, fn };
      armed.add(handle);
      for (const l of onArm.splice(0)) l();
      return handle;
    },
    clearTimeout: (handle) => void armed.delete(handle as { at: number; fn: () => void }),
  };
  return {
    timers,
    /** When the earliest armed timer is due on the clock, or null. */
    nextDue: () => (armed.size ? Math.min(...[...armed].map((h) => h.at)) : null),
    fireDue() {
      for (const h of [...armed].filter((x) => x.at <= clock.monotonic())) {
        armed.delete(h);
        h.fn();
      }
    },
    nextArm: () => new Promise<void>((resolve) => onArm.push(resolve)),
  };
}

describe('send queue pacing by arrival (loopback OnlyFans sandbox, a proxy that delays a send)', () => {
  const { stack, defer } = useSendingStacks();

  it('a send that reaches the platform late does not squeeze the next one of its account', async () => {
    // One clock for the queue, its limiter and the server that judges the arrivals.
    const clock = manualClock();
    const time = manualTimers(clock);
    const server = await startOnlyFansSandbox({ apiKey: SANDBOX_KEY, clock });
    defer(() => server.close());
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    let posts = 0;
    const proxy = await startHoldingProxy(server.url, (req) => {
      if (req.method !== 'POST' || ++posts > 1) return 'forward';
      held();
      return { delay: () => released };
    });
    defer(() => proxy.close());
    const s = await stack({
      server,
      clock,
      queue: {
        timers: time.timers,
        paceMarginMs: PACE_MARGIN_MS,
        transportFor: (a) => {
          server.setLimits(a.platformAccountId, { perMinute: FAST.perMinute, minIntervalMs: FAST.minSpacingMs });
          return createOnlyFansHttpTransport({ baseUrl: proxy.url, apiKey: SANDBOX_KEY, account: a.platformAccountId, timeoutMs: 5_000 });
        },
      },
    });
    const a = await s.addAccount('late');
    const first = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'one' });
    const second = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'two' });
    await s.queue.start();

    // The first send was granted and left; it stalls on its way, far longer than the account's interval.
    await isHeld;
    clock.advance(1_000);
    release();
    const sent = (id: string) => s.queue.get(id)!.state === 'sent';
    await s.until(() => sent(first.id));
    // Whatever the lane now waits for, time moves past it; nothing moves it otherwise.
    while (!sent(second.id)) {
      const due = time.nextDue();
      if (due !== null) {
        clock.advance(Math.max(0, due - clock.monotonic()));
        time.fireDue();
        continue;
      }
      await Promise.race([s.until(() => sent(second.id)), time.nextArm()]);
    }

    const arrivals = server.messages('late').map((m) => m.createdAt);
    expect(server.messages('late').map((m) => m.text)).toEqual(['one', 'two']);
    // The account's strictest interval as the queue runs it: the rate's, widened by the margin.
    const interval = 60_000 / FAST.perMinute + PACE_MARGIN_MS;
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(interval);
    expect(server.violations()).toEqual([]);
  });
});
