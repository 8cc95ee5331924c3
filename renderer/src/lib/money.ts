import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { MICROS_PER_DOLLAR, microsToDecimal } from '../../../shared/money';

/** Sub-cent amounts keep their micro-dollars; the rest reads in cents. */
const decimalsFor = (micros: number) => (Math.abs(micros) < 10_000 ? 6 : Math.abs(micros) < 1_000_000 ? 4 : 2);

/** Every space a locale groups digits with (French uses a narrow no-break space) reads as one. */
const SPACES = /[\s\u00a0\u202f]/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface Money {
  locale: string;
  /** Totals: cents from a dollar up, more decimals below so a small amount never reads as zero. */
  micros(micros: number): string;
  /** A single call's cost: every micro-dollar shown ("$0.000153"). */
  exact(micros: number): string;
  /** Whole cents, as a budget is stated. */
  cents(micros: number): string;
  /** Axis and tooltip values: the chart works in dollars. */
  dollars(dollars: number): string;
  count(n: number): string;
  /** An amount as the operator types it back: no symbol, no grouping, the locale's decimal separator ("0,5"). */
  input(micros: number, minDecimals?: number): string;
  /** What the operator typed, to micro-dollars without a float; null when it is no plain non-negative amount. */
  parse(text: string): number | null;
}

/**
 * Money in the operator's locale ("$1,234.50", "1 234,50 $US"). Intl is handed the exact decimal
 * string, not a float, so a micro-dollar is never rounded away on the way. Text that leaves the
 * app (Slack, email) keeps shared/money.ts's English format instead.
 */
export function moneyFor(locale: string): Money {
  const formats = new Map<string, Intl.NumberFormat>();
  const fmt = (min: number, max: number, currency = true) => {
    const key = `${min}/${max}/${currency}`;
    let f = formats.get(key);
    if (!f) {
      const style = currency ? { style: 'currency' as const, currency: 'USD' } : { useGrouping: false };
      formats.set(key, (f = new Intl.NumberFormat(locale, { ...style, minimumFractionDigits: min, maximumFractionDigits: max })));
    }
    return f;
  };
  const exact = (micros: number) => microsToDecimal(micros) as Intl.StringNumericLiteral;

  const parts = new Intl.NumberFormat(locale).formatToParts(1_234_567.5);
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const rawGroup = parts.find((p) => p.type === 'group')?.value ?? ',';
  const group = rawGroup.replace(SPACES, ' ');
  // A dot is also read as the decimal point where it cannot be a thousands separator ("0.50" in French).
  const points = decimal !== '.' && group !== '.' ? [decimal, '.'] : [decimal];
  const amount = new RegExp(`^(\\d{1,3}(?:${escape(group)}\\d{3})+|\\d+)?(?:[${points.map(escape).join('')}](\\d{0,6}))?$`);

  return {
    locale,
    micros: (micros) => fmt(2, decimalsFor(micros)).format(exact(micros)),
    exact: (micros) => fmt(2, 6).format(exact(micros)),
    cents: (micros) => fmt(2, 2).format(exact(micros)),
    dollars: (dollars) => fmt(2, dollars !== 0 && Math.abs(dollars) < 0.01 ? 4 : 2).format(dollars),
    count: (n) => n.toLocaleString(locale),
    input: (micros, minDecimals = 0) => fmt(minDecimals, 6, false).format(exact(micros)),
    parse(text) {
      const bare = text
        .replace(SPACES, ' ')
        .trim()
        .replace(/^(?:US\$|\$)\s?/, '')
        .replace(/\s?(?:\$\s?US|US\$|\$)$/, '');
      const m = amount.exec(bare);
      if (!m || (m[1] === undefined && !m[2])) return null;
      const micros = Number((m[1] ?? '0').replaceAll(group, '')) * MICROS_PER_DOLLAR + Number((m[2] ?? '').padEnd(6, '0'));
      return Number.isSafeInteger(micros) ? micros : null;
    },
  };
}

export function useMoney(): Money {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(() => moneyFor(locale), [locale]);
}
