import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moneyFor } from '../../renderer/src/lib/money';
import { fromDraft, newRow, toDraft } from '../../renderer/src/pages/alerts/budgetDraft';
import { MAX_BUDGET_MICROS } from '../../shared/budgets';

const en = moneyFor('en');
const fr = moneyFor('fr');
const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('money in the operator’s locale', () => {
  it('formats exact micro-dollars in English and French', () => {
    expect(en.micros(1_234_500_000)).toBe('$1,234.50');
    expect(fr.micros(1_234_500_000)).toBe(`1${NNBSP}234,50${NBSP}$US`);
    // Below a cent every micro-dollar shows, below a dollar a hundredth of a cent.
    expect(en.micros(123)).toBe('$0.000123');
    expect(en.micros(12_345)).toBe('$0.0123');
    expect(en.exact(300_003)).toBe('$0.300003');
    expect(fr.exact(153)).toBe(`0,000153${NBSP}$US`);
    expect(en.cents(999_999)).toBe('$1.00');
    expect(en.exact(9_007_199_254_740_991)).toBe('$9,007,199,254.740991');
  });

  it('writes an amount back into a field without symbol or grouping, in the locale’s decimals', () => {
    expect(en.input(500_000)).toBe('0.5');
    expect(fr.input(500_000)).toBe('0,5');
    expect(fr.input(1_234_000_001)).toBe('1234,000001');
    expect(en.input(25_000_000)).toBe('25');
    expect(fr.input(600_000, 2)).toBe('0,60');
  });

  it('parses what a French operator types, comma first, to exact micros', () => {
    expect(fr.parse('0,50')).toBe(500_000);
    expect(fr.parse('0,000001')).toBe(1);
    expect(fr.parse(' 25 ')).toBe(25_000_000);
    expect(fr.parse(`1${NNBSP}234,5`)).toBe(1_234_500_000);
    expect(fr.parse('1 234,5')).toBe(1_234_500_000);
    expect(fr.parse(`1${NNBSP}234,50${NBSP}$US`)).toBe(1_234_500_000);
    // A dot cannot be a French thousands separator, so it is read as the decimal point too.
    expect(fr.parse('0.50')).toBe(500_000);
    expect(fr.parse(',75')).toBe(750_000);
    for (const bad of ['', '-1', '0,1234567', '1,2,3', '12 34', '1,234.5', 'abc', ',', '$']) expect(fr.parse(bad), bad).toBeNull();
  });

  it('parses English as before: the comma groups, it never stands for the decimal point', () => {
    expect(en.parse('0.50')).toBe(500_000);
    expect(en.parse('$1,234.5')).toBe(1_234_500_000);
    expect(en.parse('0,50')).toBeNull();
    expect(en.parse('1,2')).toBeNull();
    // Past 2^53 micro-dollars no integer is exact: refused, not rounded.
    expect(en.parse('9007199254.740993')).toBeNull();
    expect(en.parse('9007199254.740991')).toBe(9_007_199_254_740_991);
  });

  it('reads back exactly what it wrote, in every locale, and its own display too', () => {
    // en-IN groups by lakh ("1,00,000"): the field's ungrouped form still reads back.
    const locales = ['en', 'fr', 'de', 'en-IN'].map(moneyFor);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_BUDGET_MICROS }), fc.constantFrom(...locales), (micros, money) => {
        expect(money.parse(money.input(micros))).toBe(micros);
        if (money.locale !== 'en-IN') expect(money.parse(money.exact(micros))).toBe(micros);
      }),
    );
  });
});

describe('the budget editor’s amount field', () => {
  const model = {
    thresholds: [{ id: 'm', scope: 'global', target: null, period: 'month', amountMicros: 1_500_000, levels: [50, 80, 100], hardStop: 'none' }],
  } as const satisfies Parameters<typeof toDraft>[0];

  it('shows a French operator "1,5" and saves "0,50" as half a dollar, exactly', () => {
    const rows = toDraft({ thresholds: [...model.thresholds] }, fr);
    expect(rows[0]!.dollars).toBe('1,5');
    const typed = [{ ...rows[0]!, dollars: '0,50' }, { ...newRow(), dollars: '12,000001' }];
    const { model: saved, problems } = fromDraft(typed, fr);
    expect(problems.size).toBe(0);
    expect(saved.thresholds.map((t) => t.amountMicros)).toEqual([500_000, 12_000_001]);
  });

  it('flags an amount the locale cannot read instead of saving a wrong one', () => {
    const { model: saved, problems } = fromDraft([{ ...newRow(), dollars: '0,50' }, { ...newRow(), dollars: '-3' }], en);
    expect([...problems.entries()]).toEqual([
      [0, ['amount']],
      [1, ['amount']],
    ]);
    expect(saved.thresholds.map((t) => t.amountMicros)).toEqual([0, 0]);
  });
});
