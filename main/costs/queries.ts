import {
  type Breakdown,
  type BreakdownInput,
  type CampaignCosts,
  type CostDimension,
  type CostSeries,
  type CostStats,
  dayNumber,
  isoDay,
  type Measures,
} from '../../shared/costs';
import { type ForecastBudget, type ForecastInput, lastDayOfMonth, MAX_FORECAST_SERIES_DAYS } from '../../shared/forecast';
import { MAX_COST_RANGE_DAYS } from '../../shared/limits';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { LocalCalendar } from './localtime';
import { firstDayOfMonth, monthOfDay, nextMonth } from './localtime';
import { COLUMN, ROLLUP_TABLES, type RollupTable } from './rollups';

const SUMS = `SUM(cost_micros) AS micros, SUM(requests) AS requests, SUM(input_tokens) AS inputTokens,
  SUM(cached_input_tokens) AS cachedInputTokens, SUM(output_tokens) AS outputTokens`;

type Row = Measures & Record<string, string | number>;

const zero = (): Measures => ({ micros: 0, requests: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 });
function add(into: Measures, m: Measures): void {
  into.micros += m.micros;
  into.requests += m.requests;
  into.inputTokens += m.inputTokens;
  into.cachedInputTokens += m.cachedInputTokens;
  into.outputTokens += m.outputTokens;
}
const measuresOf = (r: Measures): Measures => ({ micros: r.micros, requests: r.requests, inputTokens: r.inputTokens, cachedInputTokens: r.cachedInputTokens, outputTokens: r.outputTokens });

/** Where the rollups stand: the zone they are in and its calendar. */
export interface RollupView {
  readonly timeZone: string;
  readonly calendar: LocalCalendar;
  /** Changes whenever a month before the current one changes in the rollups; absent, nothing is cached. */
  readonly closedMonthsVersion?: number;
  /** Folds committed ledger rows the rollups do not hold yet (they trail the ledger). */
  settle?(): void;
}

const DAY_ALL = ROLLUP_TABLES.find((t) => t.name === 'cost_day_all')!;
/** Day tables narrower than cost_day_all, narrowest first; each leads with the day, so a range is one index range. */
const DAY_TABLES = ROLLUP_TABLES.filter((t) => t.period === 'day' && t !== DAY_ALL);
const MONTH_ALL = ROLLUP_TABLES.find((t) => t.name === 'cost_month_all')!;
const covers = (t: RollupTable, dims: readonly CostDimension[]) => dims.every((d) => t.dims.includes(d));

/**
 * The cost questions, each answered from the rollups (main/costs/rollups.ts), never from ai_costs.
 * Figures are in the zone the rollups are built for; during a time-zone rebuild that is the
 * previous zone, so an answer is always one consistent snapshot.
 */
export class CostQueries {
  private readonly cache = new Map<string, Statement<unknown[], Row>>();
  private readonly closedCache = new Map<string, Row[]>();
  private closedTag = '';

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly view: RollupView,
  ) {}

  private all(sql: string, ...params: unknown[]): Row[] {
    this.view.settle?.();
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<unknown[], Row>(sql);
      this.cache.set(sql, stmt);
    }
    return stmt.all(...params);
  }

  /**
   * Splits from..to into month slices for the 5-dimension tables: a month is read whole from
   * cost_month_all when the range covers it, or when the days of it the range leaves out had no
   * spend at all (cost_day_model holds every row, so that is exact: "the last 30 days" reads this
   * month whole, not 26 days of cost_day_all). Only truly partial months go to cost_day_all.
   */
  private byMonths(from: number, to: number, months: (lo: number, hi: number) => void, days: (lo: number, hi: number) => void): void {
    let run: [number, number] | null = null;
    const flush = () => {
      if (run) months(run[0], run[1]);
      run = null;
    };
    for (let m = monthOfDay(from); m <= monthOfDay(to); m = nextMonth(m)) {
      const start = firstDayOfMonth(m);
      const end = firstDayOfMonth(nextMonth(m)) - 1;
      const lo = Math.max(from, start);
      const hi = Math.min(to, end);
      const whole = (lo === start || !this.spendIn(start, lo - 1)) && (hi === end || !this.spendIn(hi + 1, end));
      if (whole) run = run ? [run[0], m] : [m, m];
      else {
        flush();
        days(lo, hi);
      }
    }
    flush();
  }

  private spendIn(lo: number, hi: number): boolean {
    return this.all('SELECT 1 AS micros FROM cost_day_model WHERE day BETWEEN ? AND ? LIMIT 1', lo, hi).length > 0;
  }

  /**
   * A read of days or months before the current one, kept until the ledger says a closed month
   * changed (a late row, a zone rebuild). The Costs page asks the same ranges again on every
   * costs.updated, and what lies before this month is most of a long range.
   */
  private closedRead(sql: string, params: unknown[]): Row[] {
    const version = this.view.closedMonthsVersion;
    if (version === undefined) return this.all(sql, ...params);
    const tag = `${this.view.timeZone}\u0000${version}`;
    if (tag !== this.closedTag || this.closedCache.size > 256) {
      this.closedCache.clear();
      this.closedTag = tag;
    }
    const key = `${sql}\u0000${JSON.stringify(params)}`;
    let rows = this.closedCache.get(key);
    if (!rows) this.closedCache.set(key, (rows = this.all(sql, ...params)));
    return rows;
  }

  stats(): CostStats {
    const today = this.view.calendar.localDay(this.clock.now());
    return {
      zone: this.view.timeZone,
      today: this.period(today, today),
      yesterday: this.period(today - 1, today - 1),
      thisMonth: this.period(firstDayOfMonth(monthOfDay(today)), today),
      last30Days: this.period(today - 29, today),
    };
  }

  private period(from: number, to: number): CostStats['today'] {
    const rows = this.all(`SELECT provider, model, ${SUMS} FROM cost_day_model WHERE day BETWEEN ? AND ? GROUP BY provider, model`, from, to);
    const total = zero();
    const byProvider = new Map<string, Measures & { provider: string }>();
    for (const r of rows) {
      add(total, r);
      const provider = r.provider as string;
      let p = byProvider.get(provider);
      if (!p) byProvider.set(provider, (p = { provider, ...zero() }));
      add(p, r);
    }
    const byModel = rows.map((r) => ({ provider: r.provider as string, model: r.model as string, ...measuresOf(r) }));
    const desc = (a: Measures, b: Measures) => b.micros - a.micros;
    return { from: isoDay(from), to: isoDay(to), total, byProvider: [...byProvider.values()].sort(desc), byModel: byModel.sort(desc) };
  }

  /**
   * One range, any grouping. A day table keyed by day first that holds every dimension asked
   * (grouped or filtered) answers the whole range; a campaign filter goes to the campaign table
   * (keyed by campaign first). Otherwise whole months come from cost_month_all and only the
   * partial months at the edges from cost_day_all, so a year of history costs 12 month slices
   * plus at most 60 days.
   */
  breakdown(input: BreakdownInput): Breakdown {
    const from = dayNumber(input.from);
    const to = dayNumber(input.to);
    const filters = Object.entries(input.filters).filter(([, v]) => v !== undefined) as [CostDimension, string | null][];
    const dims = [...new Set<CostDimension>([...input.groupBy, ...filters.map(([d]) => d)])];
    const groups = new Map<string, Row>();
    const current = monthOfDay(this.view.calendar.localDay(this.clock.now()));
    const read = (table: RollupTable, period: 'day' | 'month', lo: number, hi: number, closed: boolean) => {
      const cols = input.groupBy.map((d) => COLUMN[d]);
      const where = [`${period} BETWEEN ? AND ?`, ...filters.map(([d]) => `${COLUMN[d]} = ?`)];
      const params = [lo, hi, ...filters.map(([, v]) => v ?? '')];
      const sql = `SELECT ${cols.map((c, i) => `${c} AS g${i}`).join(', ')}, ${SUMS} FROM ${table.name} WHERE ${where.join(' AND ')} GROUP BY ${cols.join(', ')}`;
      for (const r of closed ? this.closedRead(sql, params) : this.all(sql, ...params)) {
        const key = input.groupBy.map((_, i) => r[`g${i}`]).join('\u0000');
        const g = groups.get(key);
        if (g) add(g, r);
        // A copy: the row may be a cached one, and add() sums into it.
        else groups.set(key, { ...r });
      }
    };
    // The part of a range before the current month is read once and kept (see closedRead).
    const run = (table: RollupTable, period: 'day' | 'month', lo: number, hi: number) => {
      const cut = period === 'day' ? firstDayOfMonth(current) : current;
      if (lo < cut && hi >= cut) {
        read(table, period, lo, cut - 1, true);
        read(table, period, cut, hi, false);
      } else read(table, period, lo, hi, hi < cut);
    };
    const narrow = DAY_TABLES.find((t) => covers(t, dims));
    if (narrow) run(narrow, 'day', from, to);
    else this.byMonths(from, to, (lo, hi) => run(MONTH_ALL, 'month', lo, hi), (lo, hi) => run(DAY_ALL, 'day', lo, hi));

    const ranked = [...groups.values()].sort((a, b) => b.micros - a.micros);
    const total = zero();
    for (const r of ranked) add(total, r);
    const rows: Breakdown['rows'] = ranked.slice(0, input.top).map((r) => ({
      key: Object.fromEntries(input.groupBy.map((d, i) => [d, dimValue(d, r[`g${i}`] as string)])),
      other: false,
      ...measuresOf(r),
    }));
    if (ranked.length > input.top) {
      const other = zero();
      for (const r of ranked.slice(input.top)) add(other, r);
      rows.push({ key: {}, other: true, ...other });
    }
    return { zone: this.view.timeZone, from: input.from, to: input.to, groupBy: input.groupBy, rows, total };
  }

  series(input: { from: string; to: string; byModel: boolean }): CostSeries {
    const from = dayNumber(input.from);
    const to = dayNumber(input.to);
    const n = to - from + 1;
    const rows = input.byModel
      ? this.all(`SELECT day, provider, model, SUM(cost_micros) AS micros FROM cost_day_model WHERE day BETWEEN ? AND ? GROUP BY day, provider, model`, from, to)
      : this.all(`SELECT day, provider, NULL AS model, SUM(cost_micros) AS micros FROM cost_day_model WHERE day BETWEEN ? AND ? GROUP BY day, provider`, from, to);
    const series = new Map<string, CostSeries['series'][number]>();
    const totals = new Array<number>(n).fill(0);
    for (const r of rows) {
      const key = `${r.provider}\u0000${r.model ?? ''}`;
      let s = series.get(key);
      if (!s) series.set(key, (s = { provider: r.provider as string, model: (r.model as string | null) ?? null, micros: new Array<number>(n).fill(0) }));
      s.micros[(r.day as number) - from] = r.micros;
      totals[(r.day as number) - from]! += r.micros;
    }
    const days = Array.from({ length: n }, (_, i) => isoDay(from + i));
    const ordered = [...series.values()].sort((a, b) => a.provider.localeCompare(b.provider) || (a.model ?? '').localeCompare(b.model ?? ''));
    return { zone: this.view.timeZone, days, series: ordered, totals };
  }

  /**
   * What the forecast needs, in the rollups' zone: daily totals zero-filled from the first day
   * with spend (at most MAX_FORECAST_SERIES_DAYS back) to today, and how much of today has gone.
   * Leading days before any spend are left out: they would read as a history of spending nothing.
   */
  forecastInput(budgets: ForecastBudget[]): ForecastInput {
    const now = this.clock.now();
    const { calendar } = this.view;
    const today = calendar.localDay(now);
    const first = (this.all('SELECT MIN(day) AS day FROM cost_day_model')[0]?.day as number | null) ?? today;
    const from = Math.min(today, Math.max(first, today - MAX_FORECAST_SERIES_DAYS + 1));
    const { days, totals } = this.series({ from: isoDay(from), to: isoDay(today), byModel: false });
    const date = isoDay(today);
    return {
      series: days.map((d, i) => ({ date: d, micros: totals[i]! })),
      today: { date, elapsedFraction: elapsedOfDay(calendar, now) },
      monthEnd: lastDayOfMonth(date),
      budgets,
    };
  }

  /** Spend so far of several campaigns at once (the list's rows), by the month table's campaign index; absent ids spent nothing. */
  campaignTotals(campaignIds: readonly string[]): Map<string, number> {
    const rows = this.all(
      'SELECT campaign_id AS id, SUM(cost_micros) AS micros FROM cost_month_all WHERE campaign_id IN (SELECT value FROM json_each(?)) GROUP BY campaign_id',
      JSON.stringify(campaignIds),
    );
    return new Map(rows.map((r) => [r.id as string, r.micros]));
  }

  /**
   * Messages AI wrote for the campaign, from its recipients; null when it has none (an id only
   * the ledger knows). A batched request writes tens of messages, so requests are no divisor.
   */
  private messagesWritten(campaignId: string): number | null {
    const row = this.db
      .prepare<[string], { rows: number; ai: number | null }>("SELECT count(*) AS rows, sum(source = 'ai') AS ai FROM campaign_recipients WHERE campaign_id = ?")
      .get(campaignId);
    return row && row.rows > 0 ? (row.ai ?? 0) : null;
  }

  /**
   * A campaign's spend from its own rollup (keyed by campaign first: one index range). Per
   * message = everything the campaign spent, all purposes, divided by the messages AI wrote for
   * it (failed, refused and retried requests included), so overheads are carried by the messages.
   */
  campaign(campaignId: string): CampaignCosts {
    // Totals from the month table, the daily timeline from the day table: both by their campaign index.
    const rows = this.all(`SELECT purpose, provider, model, ${SUMS} FROM cost_month_all WHERE campaign_id = ? GROUP BY purpose, provider, model`, campaignId);
    const days = this.all(`SELECT day, SUM(cost_micros) AS micros, SUM(requests) AS requests FROM cost_day_campaign WHERE campaign_id = ? GROUP BY day`, campaignId);
    const total = zero();
    const byProvider = new Map<string, Measures & { provider: string }>();
    const byModel = new Map<string, Measures & { provider: string; model: string }>();
    const byPurpose = new Map<string, Measures & { purpose: string }>();
    for (const r of rows) {
      const provider = r.provider as string;
      const model = r.model as string;
      const purpose = r.purpose as string;
      add(total, r);
      let p = byProvider.get(provider);
      if (!p) byProvider.set(provider, (p = { provider, ...zero() }));
      add(p, r);
      let m = byModel.get(`${provider}\u0000${model}`);
      if (!m) byModel.set(`${provider}\u0000${model}`, (m = { provider, model, ...zero() }));
      add(m, r);
      let u = byPurpose.get(purpose);
      if (!u) byPurpose.set(purpose, (u = { purpose, ...zero() }));
      add(u, r);
    }
    const byDay = new Map<number, { micros: number; requests: number }>(days.map((r) => [r.day as number, { micros: r.micros, requests: r.requests }]));
    const messages = this.messagesWritten(campaignId) ?? byPurpose.get('personalize')?.requests ?? 0;
    const timeline: CampaignCosts['timeline'] = [];
    if (byDay.size) {
      const days = [...byDay.keys()];
      const last = Math.max(...days);
      const first = Math.max(Math.min(...days), last - MAX_COST_RANGE_DAYS + 1);
      for (let day = first; day <= last; day++) timeline.push({ day: isoDay(day), ...(byDay.get(day) ?? { micros: 0, requests: 0 }) });
    }
    const desc = (a: Measures, b: Measures) => b.micros - a.micros;
    return {
      campaignId,
      zone: this.view.timeZone,
      total,
      messages,
      perMessageMicros: messages ? Math.round(total.micros / messages) : null,
      byProvider: [...byProvider.values()].sort(desc),
      byModel: [...byModel.values()].sort(desc),
      byPurpose: [...byPurpose.values()].sort(desc),
      timeline,
    };
  }
}

/** Rows without a campaign or operator are stored under '' and shown as null. */
function dimValue(d: CostDimension, v: string): string | null {
  return (d === 'campaign' || d === 'operator') && v === '' ? null : v;
}

/** Share of the local day gone at `now`, measured in real hours so a 23- or 25-hour DST day ends at 1. */
function elapsedOfDay(calendar: LocalCalendar, now: number): number {
  const DAY_MS = 86_400_000;
  const wall = now + calendar.offset(now);
  const midnight = Math.floor(wall / DAY_MS) * DAY_MS;
  // A wall time's instant: its offset is the one in force there, close enough to look it up from a first guess.
  const instant = (w: number) => w - calendar.offset(w - calendar.offset(now));
  const start = instant(midnight);
  const end = instant(midnight + DAY_MS);
  return Math.min(1, Math.max(0, (now - start) / (end - start)));
}
