import { describe, expect, it } from 'vitest';
import { SUBJECT_MAX, subject } from '../../../main/alerts/render';
import { sampleAlert } from '../../support/alerts';

const campaign = (target: string, label: string | null = null) =>
  sampleAlert({ threshold: { scope: 'campaign', target, label, percent: 80 } });

describe('the SNS subject', () => {
  it('stays under 100 characters for a long campaign id, ending on an ellipsis', () => {
    const s = subject(campaign('c'.repeat(60)));
    expect(s.length).toBe(SUBJECT_MAX);
    expect(Array.from(s)).toHaveLength(SUBJECT_MAX);
    expect(s).toMatch(/^Huntaze — Warning: Campaign c{60} reached .*…$/);
  });

  it('cuts a target of any length to at most 99 characters, and leaves a short one whole', () => {
    for (let n = 40; n <= 100; n++) {
      const s = subject(campaign('x'.repeat(n)));
      expect(s.length, `target of ${n}`).toBeLessThanOrEqual(SUBJECT_MAX);
    }
    expect(subject(campaign('c-42', 'Black Friday'))).toBe('Huntaze — Warning: Campaign Black Friday reached 80% of its monthly budget');
  });

  it('never leaves half of a surrogate pair, and turns control characters into spaces', () => {
    for (let pad = 0; pad < 4; pad++) {
      const s = subject(campaign('c', `${'a'.repeat(60 + pad)}${'😀'.repeat(20)}`));
      expect(s.length).toBeLessThanOrEqual(SUBJECT_MAX);
      // A lone high surrogate before the ellipsis would be half a character.
      expect(s).not.toMatch(/[\uD800-\uDBFF]…$/);
      expect(Buffer.from(s).toString()).toBe(s);
    }
    expect(subject(campaign('c', 'Line\r\none\ttab'))).toContain('Campaign Line one tab reached');
  });
});
