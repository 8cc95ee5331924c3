import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { LoopLag } from './protocol';

// Fine sampling: a 1 ms timer catches stalls that a coarser one would average away.
const RESOLUTION_MS = 1;

/**
 * How late this process's event loop ran while measuring. The histogram records each timer's
 * whole interval, so the resolution is taken off to leave only the lag.
 */
export function loopLagMonitor() {
  let histogram: IntervalHistogram | null = null;
  const lagOf = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return {
    start(): void {
      histogram?.disable();
      histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      histogram.enable();
    },
    /** null when nothing was being measured. */
    stop(): LoopLag | null {
      if (!histogram) return null;
      const h = histogram;
      histogram = null;
      h.disable();
      if (h.count === 0) return { p50Ms: 0, p99Ms: 0, maxMs: 0 };
      return { p50Ms: lagOf(h.percentile(50)), p99Ms: lagOf(h.percentile(99)), maxMs: lagOf(h.max) };
    },
  };
}
