import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMicros, parseDollars } from '../../shared/money';

describe('money in integer micro-dollars', () => {
  it('formats amounts for people', () => {
    expect(formatMicros(0)).toBe('$0.00');
    expect(formatMicros(1)).toBe('$0.000001');
    expect(formatMicros(12_250_000)).toBe('$12.25');
    expect(formatMicros(1_234_567_891)).toBe('$1,234.567891');
    expect(formatMicros(-500_000)).toBe('-$0.50');
    expect(() => formatMicros(1.5)).toThrow(RangeError);
  });

  it('parses what people type', () => {
    expect(parseDollars('2.5')).toBe(2_500_000);
    expect(parseDollars('$0.000150')).toBe(150);
    expect(parseDollars('1,200')).toBe(1_200_000_000);
    expect(parseDollars('.75')).toBe(750_000);
    for (const bad of ['', 'abc', '1.2345678', '-1', '1,2', '$', '.']) expect(parseDollars(bad), bad).toBeNull();
  });

  it('round-trips every amount', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 13 }), (m) => parseDollars(formatMicros(m, { maxDecimals: 6 })) === m));
  });
});
