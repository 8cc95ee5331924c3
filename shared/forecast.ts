/**
 * The spend forecast's input and output, so `costs.forecast` can be put in the contract as is.
 * Days are the agency's local days, written YYYY-MM-DD; money is integer micro-dollars.
 */
import { z } from 'zod';

/** About two years and a month: more history changes nothing a month-end forecast needs. */
export const MAX_FORECAST_SERIES_DAYS = 800;
export const MAX_FORECAST_BUDGETS = 256;
/**
 * One day's spend is capped at $10 M so that a whole series (800 × 1e13) still sums exactly in a
 * double; nothing an agency spends on AI comes near it.
 */
export const MAX_DAY_MICROS = 10_000_000 * 1_000_000;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date, or NaN when it is no calendar date. */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2025-02-30 over to March; a round trip catches it.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return Number.NaN;
  return ms / DAY_MS;
}

export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export const addDays = (date: string, days: number): string => dateOfDayNumber(dayNumber(date) + days);

/** 0 = Sunday … 6 = Saturday, as Date#getDay counts; a calendar date has the same weekday in every zone. */
export const weekdayOf = (date: string): number => new Date(dayNumber(date) * DAY_MS).getUTCDay();

export function lastDayOfMonth(date: string): string {
  const [y, mo] = date.split('-').map(Number) as [number, number];
  return dateOfDayNumber(Date.UTC(y, mo, 0) / DAY_MS);
}

export const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(dayNumber(s)), { params: { rule: 'calendar_date' } });

const micros = z.number().int().min(0).max(MAX_DAY_MICROS);

export const BUDGET_PERIODS = ['daily', 'monthly'] as const;

export const forecastBudgetSchema = z
  .object({
    id: z.string().min(1).max(128),
    period: z.enum(BUDGET_PERIODS),
    amountMicros: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type ForecastBudget = z.infer<typeof forecastBudgetSchema>;

export const forecastInputSchema = z
  .object({
    /**
     * Spend per local day, consecutive and zero-filled, oldest first, ending with today (whose
     * figure is what has been spent so far today).
     */
    series: z
      .array(z.object({ date: localDateSchema, micros }).strict())
      .min(1)
      .max(MAX_FORECAST_SERIES_DAYS),
    /** Today, and how much of it has gone by (0 at local midnight, 1 at the next). */
    today: z.object({ date: localDateSchema, elapsedFraction: z.number().min(0).max(1) }).strict(),
    /** The last day of today's month: the projection's horizon. */
    monthEnd: localDateSchema,
    budgets: z.array(forecastBudgetSchema).max(MAX_FORECAST_BUDGETS),
  })
  .strict()
  .superRefine((input, ctx) => {
    const { series, today, monthEnd } = input;
    for (let i = 1; i < series.length; i++) {
      if (dayNumber(series[i]!.date) !== dayNumber(series[i - 1]!.date) + 1) {
        ctx.addIssue({ code: 'custom', path: ['series', i, 'date'], params: { rule: 'consecutive_dates' } });
        return;
      }
    }
    const last = series.at(-1);
    if (last && last.date !== today.date) {
      ctx.addIssue({ code: 'custom', path: ['series', series.length - 1, 'date'], params: { rule: 'series_ends_today' } });
    }
    if (!Number.isNaN(dayNumber(today.date)) && monthEnd !== lastDayOfMonth(today.date)) {
      ctx.addIssue({ code: 'custom', path: ['monthEnd'], params: { rule: 'last_day_of_month' } });
    }
    const ids = new Set<string>();
    input.budgets.forEach((b, i) => {
      if (ids.has(b.id)) ctx.addIssue({ code: 'custom', path: ['budgets', i, 'id'], params: { rule: 'unique' } });
      ids.add(b.id);
    });
  });
export type ForecastInput = z.infer<typeof forecastInputSchema>;

const amount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** p10 ≤ p50 ≤ p90, in micro-dollars. */
export const forecastBandSchema = z
  .object({ p10: amount, p50: amount, p90: amount })
  .strict()
  .refine((b) => b.p10 <= b.p50 && b.p50 <= b.p90, { params: { rule: 'ordered_quantiles' } });
export type ForecastBand = z.infer<typeof forecastBandSchema>;

/**
 * How the projection was made, from most to least data:
 * - `weekday_holt`: weekday factors × Holt's damped trend (28 complete days or more);
 * - `weekday_level`: weekday factors (shrunk hard toward 1) × a local level, no trend (14–27 days);
 * - `recent_mean`: the mean of the complete days, no weekday pattern (1–13 days);
 * - `today_run_rate`: no complete day yet, today's spend so far extrapolated over the day;
 * - `none`: nothing to go on; the projection is what has been spent.
 */
export const FORECAST_METHODS = ['weekday_holt', 'weekday_level', 'recent_mean', 'today_run_rate', 'none'] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];

export const forecastOutputSchema = z
  .object({
    method: z.enum(FORECAST_METHODS),
    basis: z
      .object({
        /** Complete days (before today) the model was fitted on. */
        historyDays: z.number().int().min(0),
        firstDate: localDateSchema.nullable(),
        lastDate: localDateSchema.nullable(),
        /** Multiplicative, Sunday first, mean 1; null when too little history to tell. */
        weekdayFactors: z.array(z.number().min(0)).length(7).nullable(),
      })
      .strict(),
    monthToDateMicros: amount,
    monthEnd: forecastBandSchema,
    /** Today to month end: each day's spend and the month's running total, as bands for a chart. */
    path: z.array(z.object({ date: localDateSchema, daily: forecastBandSchema, cumulative: forecastBandSchema }).strict()),
    budgets: z.array(
      z
        .object({
          id: z.string(),
          period: z.enum(BUDGET_PERIODS),
          amountMicros: amount,
          /** The first day spend goes over the budget on the median path; null if not this month. */
          crossesOn: localDateSchema.nullable(),
          /** The first day it goes over on the high (p90) path: the earliest plausible date. */
          earliestOn: localDateSchema.nullable(),
        })
        .strict(),
    ),
  })
  .strict();
export type ForecastOutput = z.infer<typeof forecastOutputSchema>;

/**
 * A provider or campaign monthly budget, forecast from that scope's own daily spend (the same
 * projection the projected-overrun alert is raised from), not drawn on the agency-wide chart.
 */
export const scopedBudgetForecastSchema = z
  .object({
    id: z.string(),
    scope: z.enum(['provider', 'campaign']),
    target: z.string(),
    amountMicros: amount,
    monthToDateMicros: amount,
    /** The scope's median month-end spend. */
    projectedMicros: amount,
    crossesOn: localDateSchema.nullable(),
    earliestOn: localDateSchema.nullable(),
  })
  .strict();
export type ScopedBudgetForecast = z.infer<typeof scopedBudgetForecastSchema>;

/** What `costs.forecast` answers: the agency-wide forecast and its budgets, then each scoped monthly budget. */
export const costsForecastSchema = forecastOutputSchema.extend({ scopedBudgets: z.array(scopedBudgetForecastSchema) });
export type CostsForecast = z.infer<typeof costsForecastSchema>;
