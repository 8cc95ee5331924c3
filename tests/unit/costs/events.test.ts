import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CostEvents } from '../../../main/costs/events';
import { EventBus } from '../../../main/ipc/events';

const D = 20_418; // 2025-11-26 as a day number
const day = (n: number) => new Date((D + n) * 86_400_000).toISOString().slice(0, 10);

describe('costs.updated coalescing', () => {
  let heard: unknown[];
  let costs: CostEvents;

  beforeEach(() => {
    vi.useFakeTimers();
    const bus = new EventBus();
    heard = [];
    bus.subscribe((event, payload) => event === 'costs.updated' && heard.push(payload));
    costs = new CostEvents(bus, 250);
  });
  afterEach(() => {
    costs.close();
    vi.useRealTimers();
  });

  it('announces the first commit at once and folds a burst into one trailing event with the latest day', () => {
    costs.committed(new Set([D]));
    expect(heard).toEqual([{ day: day(0) }]);
    costs.committed(new Set([D, D + 2]));
    costs.committed(new Set([D + 1]));
    costs.committed(new Set([D]));
    vi.advanceTimersByTime(249);
    expect(heard).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(heard).toEqual([{ day: day(0) }, { day: day(2) }]);
  });

  it('sends at most one event per window however long the burst lasts', () => {
    for (let ms = 0; ms < 1_000; ms += 10) {
      costs.committed(new Set([D + Math.floor(ms / 100)]));
      vi.advanceTimersByTime(10);
    }
    // 0 ms leading, then one trailing event at each of 250, 500, 750 and 1000 ms.
    expect(heard).toEqual([{ day: day(0) }, { day: day(2) }, { day: day(4) }, { day: day(7) }, { day: day(9) }]);
    vi.advanceTimersByTime(10_000);
    expect(heard).toHaveLength(5);
  });

  it('stays quiet without commits, and a commit after a quiet window is announced at once again', () => {
    costs.committed(new Set([D]));
    vi.advanceTimersByTime(250);
    expect(heard).toEqual([{ day: day(0) }]);
    // The window re-armed by nothing has lapsed: the next commit leads again.
    vi.advanceTimersByTime(250);
    costs.committed(new Set([D + 3]));
    expect(heard).toEqual([{ day: day(0) }, { day: day(3) }]);
  });

  it('drops a pending trailing event on close', () => {
    costs.committed(new Set([D]));
    costs.committed(new Set([D + 1]));
    costs.close();
    vi.advanceTimersByTime(1_000);
    expect(heard).toEqual([{ day: day(0) }]);
  });
});
