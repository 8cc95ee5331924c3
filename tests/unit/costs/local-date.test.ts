import { describe, expect, it } from 'vitest';
import { localDateSchema } from '../../../shared/costs';

describe('a local calendar date', () => {
  it('refuses what is no date at all by rule, without throwing (zod runs the calendar check after a failed pattern)', () => {
    for (const bad of ['abc', '', '99999', '2026-1-01', '2026-02-30']) {
      const r = localDateSchema.safeParse(bad);
      expect(r.success, bad).toBe(false);
    }
    expect(localDateSchema.safeParse('2026-11-26')).toEqual({ success: true, data: '2026-11-26' });
  });
});
