import type { Clock } from '../../main/ports/clock';

/**
 * A clock over simulated true time: the wall can be jumped (an operator changing the clock),
 * the monotonic source restarts at 0 with each process, and `true` is what the invariant is
 * measured in.
 */
export function simClock(startWall = Date.UTC(2026, 10, 26, 12)) {
  let t = 0;
  let wallOffset = startWall;
  let monoBase = 0;
  const clock: Clock = { now: () => t + wallOffset, monotonic: () => t - monoBase };
  return {
    clock,
    true: () => t,
    wallSkew: () => wallOffset - startWall,
    advance(ms: number) {
      t += ms;
    },
    jumpWall(ms: number) {
      wallOffset += ms;
    },
    /** A new process: its monotonic clock starts again from 0. */
    restartMonotonic() {
      monoBase = t;
    },
  };
}

/**
 * Checks `count ≤ burst·(1 + extra) + ⌊W / T⌋` for every closed window between two grants, where
 * `extra(a, b)` counts the allowances the caller grants inside (a, b]. Returns the first window
 * that breaks it, or null.
 */
export function firstViolation(times: number[], intervalMs: number, burst: number, extra: (from: number, to: number) => number = () => 0) {
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      const w = times[j]! - times[i]!;
      const bound = burst * (1 + extra(times[i]!, times[j]!)) + Math.floor(w / intervalMs + 1e-9);
      if (j - i + 1 > bound) return { from: times[i]!, to: times[j]!, count: j - i + 1, bound };
    }
  }
  return null;
}
