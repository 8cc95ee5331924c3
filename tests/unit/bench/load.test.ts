import { describe, expect, it } from 'vitest';
import { drive, pooled, quantile, rotated } from '../../../bench/load';

describe('bench load helpers', () => {
  it('drive makes exactly `total` calls and never more than `inFlight` at once', async () => {
    let running = 0;
    let peak = 0;
    let calls = 0;
    const call = async () => {
      calls++;
      running++;
      peak = Math.max(peak, running);
      // Yield a few turns so the workers really overlap.
      for (let i = 0; i < 3; i++) await Promise.resolve();
      running--;
    };
    const sample = await drive(call, { total: 103, inFlight: 7 });
    expect(calls).toBe(103);
    expect(sample.latencies).toHaveLength(103);
    expect(peak).toBe(7);
  });

  it('drive starts no more workers than there are calls', async () => {
    let running = 0;
    let peak = 0;
    const sample = await drive(
      async () => {
        running++;
        peak = Math.max(peak, running);
        await Promise.resolve();
        running--;
      },
      { total: 3, inFlight: 200 },
    );
    expect(sample.latencies).toHaveLength(3);
    expect(peak).toBe(3);
  });

  it('quantile is nearest-rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.5)).toBe(50);
    expect(quantile(sorted, 0.99)).toBe(99);
    expect(quantile([7], 0.99)).toBe(7);
  });

  it('pooled merges rounds: quantiles over every latency, rate over the summed wall time', () => {
    const stats = pooled([
      { latencies: [3, 1], seconds: 1 },
      { latencies: [2, 4], seconds: 3 },
    ]);
    expect(stats).toEqual({ count: 4, p50: 2, p99: 4, rps: 1 });
  });

  it('rotated puts each path first on alternate rounds', () => {
    const pair = ['bare', 'orch'] as const;
    expect([0, 1, 2, 3].map((r) => rotated(pair, r)[0])).toEqual(['bare', 'orch', 'bare', 'orch']);
  });
});
