/**
 * Local days and months in an IANA zone, fast enough for every ledger row and a rebuild of
 * millions. Intl per row costs microseconds; here Intl runs once per UTC hour seen (twice, at
 * the hour's two ends) and each row is a Map lookup plus arithmetic.
 *
 * A day is an integer: days since 1970-01-01 of the local calendar date (so 2026-11-26 local is
 * one number whatever the zone). A month is `year * 100 + month` (202611), readable in SQL.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Marks an hour with an offset change inside it: its rows go to Intl one by one. */
const MIXED = Number.NaN;

export interface LocalCalendar {
  readonly zone: string;
  /** Offset of local wall time from UTC at `ts`, in ms (Asia/Kolkata: +5.5 h). */
  offset(ts: number): number;
  localDay(ts: number): number;
  localMonth(ts: number): number;
}

function intlOffset(fmt: Intl.DateTimeFormat, ts: number): number {
  // Whole seconds: Intl drops milliseconds, and every zone offset in use is whole seconds.
  const t = Math.floor(ts / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - t;
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: undefined,
  });
}

class CachedCalendar implements LocalCalendar {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly hours = new Map<number, number>();

  constructor(readonly zone: string) {
    this.fmt = formatterFor(zone);
  }

  offset(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    let off = this.hours.get(hour);
    if (off === undefined) {
      const start = intlOffset(this.fmt, hour * HOUR_MS);
      const end = intlOffset(this.fmt, (hour + 1) * HOUR_MS - 1000);
      // A transition inside the hour (30-minute shifts, odd historic ones) makes it exact per row.
      off = start === end ? start : MIXED;
      this.hours.set(hour, off);
    }
    return Number.isNaN(off) ? intlOffset(this.fmt, ts) : off;
  }

  localDay(ts: number): number {
    return Math.floor((ts + this.offset(ts)) / DAY_MS);
  }

  private lastDay = Number.NaN;
  private lastMonth = 0;

  localMonth(ts: number): number {
    // Rows come in runs of one day: the civil-date arithmetic runs once per run.
    const day = this.localDay(ts);
    if (day !== this.lastDay) {
      this.lastMonth = monthOfDay(day);
      this.lastDay = day;
    }
    return this.lastMonth;
  }
}

const calendars = new Map<string, LocalCalendar>();

/** One cached calendar per zone for the process: its hour table only grows with hours seen. */
export function calendarFor(zone: string): LocalCalendar {
  let cal = calendars.get(zone);
  if (!cal) {
    cal = new CachedCalendar(zone);
    calendars.set(zone, cal);
  }
  return cal;
}

/** Civil date of a day number (Howard Hinnant's days_from_civil, inverted). */
export function civilOfDay(day: number): { year: number; month: number; day: number } {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}

export function monthOfDay(day: number): number {
  const c = civilOfDay(day);
  return c.year * 100 + c.month;
}

/** First day number of a month key (202611 → the day of 2026-11-01). */
export function firstDayOfMonth(month: number): number {
  return Date.UTC(Math.floor(month / 100), (month % 100) - 1, 1) / DAY_MS;
}

export function nextMonth(month: number): number {
  return month % 100 === 12 ? month + 89 : month + 1;
}
