import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../main/ipc/events';
import { RequestEvents } from '../../../main/requests/events';

describe('requests.updated coalescing', () => {
  let heard: unknown[];
  let requests: RequestEvents;

  beforeEach(() => {
    vi.useFakeTimers();
    const bus = new EventBus();
    heard = [];
    bus.subscribe((event, payload) => event === 'requests.updated' && heard.push(payload));
    requests = new RequestEvents(bus, 250);
  });
  afterEach(() => {
    requests.close();
    vi.useRealTimers();
  });

  it('announces the first commit at once and folds a burst into one trailing event counting every row', () => {
    requests.committed(2);
    expect(heard).toEqual([{ count: 2 }]);
    requests.committed(3);
    requests.committed(1);
    vi.advanceTimersByTime(249);
    expect(heard).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(heard).toEqual([{ count: 2 }, { count: 4 }]);
    // Nothing more came: the window lapses quietly, and the next commit leads again.
    vi.advanceTimersByTime(1_000);
    requests.committed(1);
    expect(heard).toEqual([{ count: 2 }, { count: 4 }, { count: 1 }]);
  });

  it('drops a pending trailing event on close', () => {
    requests.committed(1);
    requests.committed(1);
    requests.close();
    vi.advanceTimersByTime(1_000);
    expect(heard).toEqual([{ count: 1 }]);
  });
});
