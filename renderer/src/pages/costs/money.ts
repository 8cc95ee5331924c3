import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { microsToDecimal } from '../../../../shared/money';

/** Sub-cent amounts keep their micro-dollars; the rest reads in cents. */
const decimalsFor = (micros: number) => (Math.abs(micros) < 10_000 ? 6 : Math.abs(micros) < 1_000_000 ? 4 : 2);

/**
 * Money in the operator's locale ("$1,234.50", "1 234,50 $US"). Intl is handed the exact decimal
 * string, not a float, so a micro-dollar is never rounded away on the way.
 */
export function useMoney() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(() => {
    const formats = new Map<number, Intl.NumberFormat>();
    const fmt = (decimals: number) => {
      let f = formats.get(decimals);
      if (!f) formats.set(decimals, (f = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: decimals })));
      return f;
    };
    return {
      locale,
      micros: (micros: number) => fmt(decimalsFor(micros)).format(microsToDecimal(micros) as Intl.StringNumericLiteral),
      /** Axis and tooltip values: the chart works in dollars. */
      dollars: (dollars: number) => fmt(dollars !== 0 && Math.abs(dollars) < 0.01 ? 4 : 2).format(dollars),
      count: (n: number) => n.toLocaleString(locale),
    };
  }, [locale]);
}
