import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface BenchLine {
  name: string;
  value: number;
  unit: string;
  /** What the figure should reach, e.g. `<= 1.02`; printed beside it, never asserted (the machine may be noisy). */
  target?: string;
}

export interface Suite {
  description: string;
  run(report: (line: BenchLine) => void): Promise<void>;
}

/** Runs `fn` `count` times and returns operations per second, measured by the monotonic clock. */
export function rate(count: number, fn: (i: number) => void): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) fn(i);
  const seconds = (performance.now() - start) / 1000;
  return count / seconds;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function writeResults(root: string, suite: string, lines: BenchLine[]): string {
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite}.json`);
  writeFileSync(file, JSON.stringify({ suite, node: process.version, platform: process.platform, lines }, null, 2) + '\n');
  return file;
}
