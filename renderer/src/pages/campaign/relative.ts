const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "in 3 minutes", "dans 2 heures": the largest unit that fits, rounded. */
export function relativeFrom(at: number, now: number, locale: string): string {
  const ms = at - now;
  const fmt = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(ms) >= size || unit === 'second') return fmt.format(Math.round(ms / size), unit);
  }
  return fmt.format(0, 'second');
}
