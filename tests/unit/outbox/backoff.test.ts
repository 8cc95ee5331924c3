import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullJitterDelayMs, redactError } from '../../../main/outbox';

describe('full-jitter backoff', () => {
  it('stays in [0, cap) where the cap doubles per attempt up to maxMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, baseMs, extra, r) => {
          const policy = { baseMs, maxMs: baseMs + extra };
          const cap = Math.min(policy.maxMs, baseMs * 2 ** (attempt - 1));
          const d = fullJitterDelayMs(attempt, policy, () => r);
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(cap);
        },
      ),
    );
  });

  it('spans the whole range the random source allows', () => {
    const policy = { baseMs: 1_000, maxMs: 60_000 };
    expect([1, 2, 3, 10].map((a) => fullJitterDelayMs(a, policy, () => 0))).toEqual([0, 0, 0, 0]);
    expect([1, 2, 3, 7, 10].map((a) => fullJitterDelayMs(a, policy, () => 0.999_999))).toEqual([999, 1_999, 3_999, 59_999, 59_999]);
  });
});

describe('redactError', () => {
  it('keeps a URL’s origin and drops its path, query and user info', () => {
    expect(redactError('POST https://hooks.slack.com/services/T1/B2/abcdef failed')).toBe('POST https://hooks.slack.com/… failed');
    expect(redactError('GET https://user:pw@sns.eu-west-1.amazonaws.com/?Signature=xyz')).toBe('GET https://sns.eu-west-1.amazonaws.com/…');
    expect(redactError('connect ECONNREFUSED 127.0.0.1:443')).toBe('connect ECONNREFUSED 127.0.0.1:443');
  });

  it('masks key-like tokens and bounds the length', () => {
    expect(redactError('Incorrect API key provided: sk-proj-abcdef123456')).toBe('Incorrect API key provided: [redacted]');
    expect(redactError('auth: Bearer eyJhbGciOi.eyJzdWIi.sig')).toBe('auth: Bearer [redacted]');
    expect(redactError('AKIAABCDEFGHIJKLMNOP denied')).toBe('[redacted] denied');
    expect(redactError('x'.repeat(60))).toBe('[redacted]'); // a long unbroken token reads as a secret
    expect(redactError('timeout '.repeat(200))).toHaveLength(500);
  });
});
