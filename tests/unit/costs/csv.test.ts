import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakdownCsv, csvCell, type CsvLabels } from '../../../renderer/src/pages/costs/csv';
import type { Breakdown } from '../../../shared/costs';
import { microsToDecimal, parseDollars } from '../../../shared/money';

const LABELS: CsvLabels = {
  dimension: (d) => d[0]!.toUpperCase() + d.slice(1),
  requests: 'Requests',
  inputTokens: 'Input tokens',
  cachedInputTokens: 'Cached input tokens',
  outputTokens: 'Output tokens',
  costUsd: 'Cost (USD)',
  other: 'Other',
};

const measures = (micros: number) => ({ micros, requests: 2, inputTokens: 30, cachedInputTokens: 10, outputTokens: 7 });

describe('the breakdown CSV', () => {
  it('writes micro-dollars as exact six-decimal dollars', () => {
    expect(microsToDecimal(0)).toBe('0.000000');
    expect(microsToDecimal(1)).toBe('0.000001');
    expect(microsToDecimal(100_000)).toBe('0.100000');
    expect(microsToDecimal(1_234_567_891)).toBe('1234.567891');
    expect(microsToDecimal(-700_000)).toBe('-0.700000');
    expect(microsToDecimal(Number.MAX_SAFE_INTEGER)).toBe('9007199254.740991');
    expect(() => microsToDecimal(0.5)).toThrow(RangeError);
    // Summed as text by a reader that parses decimals exactly, the column gives back the micros.
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (m) => parseDollars(microsToDecimal(m)) === m));
  });

  it('quotes commas, quotes, line breaks and edge spaces, and defuses formula starts', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@op')).toBe("'@op");
  });

  it('writes one line per row with the grouped keys, empty cells for no campaign, and the other row labelled', () => {
    const breakdown: Pick<Breakdown, 'groupBy' | 'rows'> = {
      groupBy: ['campaign', 'provider'],
      rows: [
        { key: { campaign: 'Spring, "VIP"', provider: 'azure' }, other: false, ...measures(1_500_000) },
        { key: { campaign: null, provider: 'openai' }, other: false, ...measures(3) },
        { key: {}, other: true, ...measures(100_000_000_001) },
      ],
    };
    expect(breakdownCsv(breakdown, LABELS)).toBe(
      'Campaign,Provider,Requests,Input tokens,Cached input tokens,Output tokens,Cost (USD)\r\n' +
        '"Spring, ""VIP""",azure,2,30,10,7,1.500000\r\n' +
        ',openai,2,30,10,7,0.000003\r\n' +
        'Other,,2,30,10,7,100000.000001\r\n',
    );
  });
});
