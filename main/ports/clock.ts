import { performance } from 'node:perf_hooks';

/**
 * Time is injected so tests and persisted limiter state never depend on the wall clock.
 * `now` is wall time (epoch ms) for timestamps; `monotonic` is for measuring intervals,
 * which must not jump when the operator's clock is changed.
 */
export interface Clock {
  now(): number;
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

/** A clock the test moves by hand. */
export function manualClock(startMs = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let wall = startMs;
  let mono = 0;
  return {
    now: () => wall,
    monotonic: () => mono,
    advance(ms: number) {
      wall += ms;
      mono += ms;
    },
  };
}
