/** Closed-loop load: a fixed number of calls in flight, each timed whole, as its caller waits for it. */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

export interface Sample {
  /** Each call's whole latency in ms, queueing in this process included. */
  latencies: number[];
  seconds: number;
}

export interface DriveOptions {
  total: number;
  inFlight: number;
  /**
   * Worker starts are spread over this many ms. Against a provider with a fixed delay, workers
   * started together stay in lock-step and every reply lands in the same burst; spreading them
   * over one delay gives the steady arrival rate a real load has.
   */
  rampMs?: number;
}

export async function drive(call: () => Promise<unknown>, { total, inFlight, rampMs = 0 }: DriveOptions): Promise<Sample> {
  const latencies: number[] = [];
  let started = 0;
  const t0 = performance.now();
  const worker = async (index: number) => {
    if (rampMs > 0 && index > 0) await delay((index * rampMs) / inFlight);
    while (started < total) {
      started++;
      const s = performance.now();
      await call();
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, (_, i) => worker(i)));
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

/** Nearest-rank quantile of an ascending array. */
export const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export interface PathStats {
  count: number;
  p50: number;
  p99: number;
  /** Completed calls per second of wall time, over every round. */
  rps: number;
}

/** Pools several rounds of one path. */
export function pooled(rounds: readonly Sample[]): PathStats {
  const all = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  return { count: all.length, p50: quantile(all, 0.5), p99: quantile(all, 0.99), rps: all.length / seconds };
}

/**
 * The order two paths run in during round `r`: as given on even rounds, swapped on odd ones, so
 * neither always inherits the other's garbage, warm sockets or a quieter moment on the machine.
 */
export const rotated = <T>(pair: readonly [T, T], r: number): [T, T] => (r % 2 === 0 ? [pair[0], pair[1]] : [pair[1], pair[0]]);
