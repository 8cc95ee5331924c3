import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageBook, type ReceivedMessage } from '../../../main/messaging/sandbox/book';

const msg = (account: string, i: number): ReceivedMessage => ({
  id: `${account}-${i}`,
  account,
  chatId: 'fan',
  text: 't',
  priceMicros: null,
  mediaIds: [],
  clientRef: `${account}-${i}`,
  createdAt: 0,
});

/** The rules restated by brute force over the whole history, as the reference. */
function expected(times: number[], perMinute: number, minIntervalMs: number) {
  const out: Array<[string, string]> = [];
  times.forEach((t, i) => {
    if (i > 0 && t - times[i - 1]! < minIntervalMs) out.push([`a-${i}`, 'min_interval']);
    const inWindow = times.slice(0, i + 1).filter((u) => u > t - 60_000).length;
    if (inWindow > perMinute) out.push([`a-${i}`, 'per_minute']);
  });
  return out;
}

describe('sandbox message book', () => {
  it('flags exactly the sends a brute-force reading of the rules flags', () => {
    fc.assert(
      fc.property(
        // Round gaps land sends exactly 60 s apart, where an off-by-one in the window would show.
        fc.array(fc.oneof(fc.integer({ min: 0, max: 12_000 }), fc.constantFrom(0, 2_999, 3_000, 6_000, 20_000, 30_000, 60_000)), { minLength: 1, maxLength: 80 }),
        fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 })),
        fc.integer({ min: 0, max: 5_000 }),
        (gaps, perMinute, minIntervalMs) => {
          const book = new MessageBook();
          book.setLimits('a', { perMinute, minIntervalMs });
          const times: number[] = [];
          let t = 0;
          gaps.forEach((gap, i) => {
            t += gap;
            times.push(t);
            book.accept(msg('a', i), t);
          });
          expect(book.violations().map((v) => [v.clientRef, v.rule])).toEqual(expected(times, perMinute, minIntervalMs));
          expect(book.messages('a')).toHaveLength(gaps.length);
        },
      ),
    );
  });

  it('refuses nonsensical limits', () => {
    const book = new MessageBook();
    expect(() => book.setLimits('a', { perMinute: 0, minIntervalMs: 0 })).toThrow(RangeError);
    expect(() => book.setLimits('a', { perMinute: 10, minIntervalMs: -1 })).toThrow(RangeError);
  });
});
