/**
 * Money is integer micro-dollars (1 USD = 1_000_000). These helpers move between that and the
 * decimal strings people read and type, without a float in between.
 */
export const MICROS_PER_DOLLAR = 1_000_000;

export function formatMicros(micros: number, { minDecimals = 2, maxDecimals = 6 } = {}): string {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`not an integer amount of micro-dollars: ${micros}`);
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_DOLLAR).toLocaleString('en-US');
  let frac = String(abs % MICROS_PER_DOLLAR).padStart(6, '0').slice(0, maxDecimals);
  while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${sign}$${whole}${frac ? `.${frac}` : ''}`;
}

/** "2.5", "$0.000150", "1,200" → micro-dollars; null when it is not a plain non-negative amount. */
export function parseDollars(text: string): number | null {
  const m = /^\s*\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{0,6}))?\s*$/.exec(text);
  if (!m || (m[1] === undefined && !m[2])) return null;
  const whole = Number((m[1] ?? '0').replaceAll(',', ''));
  const frac = Number((m[2] ?? '').padEnd(6, '0'));
  const micros = whole * MICROS_PER_DOLLAR + frac;
  return Number.isSafeInteger(micros) ? micros : null;
}

/** Plain decimal dollars with exactly six decimals ("1234.500000"): no grouping, no symbol, for files and Intl. */
export function microsToDecimal(micros: number): string {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`not an integer amount of micro-dollars: ${micros}`);
  const abs = Math.abs(micros);
  const frac = String(abs % MICROS_PER_DOLLAR).padStart(6, '0');
  return `${micros < 0 ? '-' : ''}${Math.floor(abs / MICROS_PER_DOLLAR)}.${frac}`;
}
