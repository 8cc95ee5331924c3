import { describe, expect, it } from 'vitest';
import { nextRebuild, rebuildPercent } from '../../renderer/src/lib/rebuild';

const step = (zone: string, done: number, total: number, finished = false) => ({ zone, done, total, finished });

describe('the time-zone re-bucketing line', () => {
  it('shows each step of a rebuild and goes away when it finishes', () => {
    let shown = nextRebuild(null, step('Asia/Kolkata', 0, 1_000));
    expect(shown).toEqual(step('Asia/Kolkata', 0, 1_000));
    shown = nextRebuild(shown, step('Asia/Kolkata', 420, 1_000));
    expect(shown && rebuildPercent(shown)).toBe(42);
    expect(nextRebuild(shown, step('Asia/Kolkata', 1_000, 1_000, true))).toBeNull();
  });

  it('keeps the zone now being built when an older zone’s rebuild reports its end late', () => {
    const building = nextRebuild(step('Asia/Kolkata', 10, 100), step('America/Los_Angeles', 5, 100));
    expect(nextRebuild(building, step('Asia/Kolkata', 100, 100, true))).toEqual(step('America/Los_Angeles', 5, 100));
    expect(nextRebuild(building, step('America/Los_Angeles', 100, 100, true))).toBeNull();
  });

  it('rounds down so 100 % means done, and reads 0 % before the rows are counted', () => {
    expect(rebuildPercent(step('UTC', 999, 1_000))).toBe(99);
    expect(rebuildPercent(step('UTC', 0, 0))).toBe(0);
    expect(rebuildPercent(step('UTC', 1_000, 1_000))).toBe(100);
  });
});
