import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateUtilization, violatingWindows } from '../../../bench/suites/sending';
import { openDatabase } from '../../../main/db/open';
import { useTempDirs } from '../../support/tmp';

describe('sending bench helpers', () => {
  const tempDir = useTempDirs();

  it('violatingWindows counts the windows over burst + W / T and none on an exact schedule', () => {
    const rule = { intervalMs: 6000, burst: 2 };
    expect(violatingWindows([0, 0, 6000, 12000, 18000], rule)).toBe(0);
    // Three at once breaks burst 2; the window [0, 6000] then holds 4 > 2 + 1.
    expect(violatingWindows([0, 0, 0, 6000], rule)).toBe(2);
  });

  it('20 always-sending accounts get every send the limits allow over 10 simulated minutes, with no violation', () => {
    const db = openDatabase(join(tempDir(), 'huntaze.db'));
    try {
      const sim = simulateUtilization(db, 20, 600_000);
      // Each account: burst 1 + 600 000 / 6000 at the default 10 a minute.
      expect(sim.allowed).toBe(20 * 101);
      expect(sim.granted).toBe(sim.allowed);
      expect(sim.violations).toBe(0);
    } finally {
      db.close();
    }
  });
});
