/**
 * Budget alerts, evaluated on every ledger commit in constant time per row: spend per scope for
 * the current local day and month is kept in memory (seeded from the rollups at open, at a new
 * period and on a zone change) and moved only by rows that committed.
 *
 * Firing is INSERT OR IGNORE into cost_alerts, keyed threshold × local period × level, in its
 * own transaction right after the ledger's commit, with the channel messages enqueued in that
 * same transaction. Not inside the ledger's transaction: an alert problem must never roll back
 * or fail a cost row. The crash window between the two commits is closed by the catch-up that
 * runs at every seed (open included): any level already reached but not recorded fires then,
 * and the unique key makes every path fire it exactly once.
 */
import type { CostRow } from '../ledger/ledger';
import { type AlertChannel, type AlertMessage, alertMessageSchema } from '../../shared/alerts';
import { alertLevelFor, type BudgetModel, type BudgetThreshold, scopeKey } from '../../shared/budgets';
import type { Db } from '../db/open';
import { transaction } from '../db/tx';
import type { LocalCalendar } from '../costs/localtime';
import type { Outbox } from '../outbox';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { alertMessages } from '../alerts/consumers';
import { seatAlertMessage } from '../sync/alert-topic';
import { dayKey, monthDays, monthKey, periodLabel, ScopeSpend } from './spend';
import { projectedOverruns } from './projection';

export interface EvaluatorDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  profile: 'live' | 'sandbox';
  /** The channels switched on now; a message is only enqueued where someone will deliver it. */
  channels: () => readonly AlertChannel[];
  /** After an alert was recorded and its messages enqueued (history changed). */
  onFired?: (alert: AlertMessage) => void;
  /** Minimum time between forecast checks; the forecast is not per row. */
  projectionEveryMs?: number;
}

interface Counter {
  day: number;
  month: number;
}

interface Period {
  zone: string;
  day: number;
  month: number;
}

/** The ledger as the evaluator reads it: its zone, and its rollups made current. */
export interface RollupSource {
  readonly calendar: LocalCalendar;
  settle(): void;
}

export const PROJECTION_EVERY_MS = 5 * 60_000;

export class BudgetEvaluator {
  /** Spend per scope from the rollups, settled before each read. */
  readonly spend: ScopeSpend;
  private readonly insert;
  private readonly firedIn;
  private readonly fire: (alert: AlertMessage, channels: readonly AlertChannel[]) => boolean;
  private byScope = new Map<string, BudgetThreshold[]>();
  private counters = new Map<string, Counter>();
  private period: Period | null = null;
  private fired = new Set<string>();
  private source: RollupSource | null = null;
  private lastProjection = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: EvaluatorDeps) {
    this.spend = new ScopeSpend(deps.db, () => this.source?.settle());
    this.insert = deps.db.prepare<[string, string, string, string, number, number, string, string]>(
      `INSERT INTO cost_alerts (id, threshold_id, kind, period_key, percent, fired_at, message, channels) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    this.firedIn = deps.db.prepare<[string, string], string>('SELECT id FROM cost_alerts WHERE period_key IN (?, ?)').pluck();
    this.fire = transaction(deps.db, (tx, alert: AlertMessage, channels: readonly AlertChannel[]) => {
      const t = alert.threshold;
      const inserted = this.insert.run(alert.id, alert.id.split('.')[0]!, alert.kind, alert.period.key, t.percent, alert.firedAt, JSON.stringify(alert), JSON.stringify(channels));
      if (inserted.changes === 0) return false;
      for (const m of alertMessages(alert, channels, deps.profile)) deps.outbox.enqueue(tx, m);
      // The team table hears of the live profile's alerts only: the Sandbox never syncs.
      if (deps.profile === 'live') deps.outbox.enqueue(tx, seatAlertMessage(alert.id, 'fired'));
      return true;
    });
  }

  /** Starts evaluating against the ledger's rollups (their zone follows the ledger's). */
  attach(source: RollupSource): void {
    this.source = source;
    this.period = null;
    this.guard(() => this.current());
  }

  /** A new model: counters for its scopes are seeded again and levels it already reaches fire. */
  setModel(model: BudgetModel): void {
    this.byScope = new Map();
    for (const t of model.thresholds) {
      const key = scopeKey(t);
      this.byScope.set(key, [...(this.byScope.get(key) ?? []), t]);
    }
    this.period = null;
    this.lastProjection = Number.NEGATIVE_INFINITY;
    if (this.source) this.guard(() => this.current());
  }

  /** Spend of a scope in the current local period, for the orchestrator's pre-flight. */
  spent(t: Pick<BudgetThreshold, 'scope' | 'target' | 'period'>): number {
    if (!this.source) return 0;
    // A new period seeds (and may fire) here; a failure there must not fail the request's pre-flight.
    this.guard(() => this.current());
    const c = this.counters.get(scopeKey(t));
    return c ? c[t.period] : 0;
  }

  /** The ledger's hook: rows that just committed (replays excluded). Never throws into the ledger. */
  committed = (rows: readonly CostRow[]): void => {
    if (!this.source || this.byScope.size === 0) return;
    this.guard(() => {
      if (this.current()) return; // reseeded from rollups that already hold these rows
      const cal = this.source!.calendar;
      const p = this.period!;
      const touched = new Set<string>();
      for (const row of rows) {
        const day = cal.localDay(row.ts);
        const inDay = day === p.day;
        const inMonth = inDay || cal.localMonth(row.ts) === p.month;
        if (!inMonth) continue;
        for (const key of ['global', `provider:${row.provider}`, row.campaignId === null ? null : `campaign:${row.campaignId}`]) {
          const c = key === null ? undefined : this.counters.get(key);
          if (!c) continue;
          if (inDay) c.day += row.costMicros;
          c.month += row.costMicros;
          touched.add(key!);
        }
      }
      for (const key of touched) this.evaluate(key);
      this.maybeProject();
    });
  };

  private guard(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.deps.logger.error('budgets: alert evaluation failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Makes counters current for now's local period; true when they were seeded again (and caught up). */
  private current(): boolean {
    const cal = this.source!.calendar;
    const now = this.deps.clock.now();
    const day = cal.localDay(now);
    const month = cal.localMonth(now);
    const p = this.period;
    if (p && p.zone === cal.zone && p.day === day && p.month === month) return false;
    this.period = { zone: cal.zone, day, month };
    const [from, to] = monthDays(month);
    this.counters = new Map();
    for (const [key, thresholds] of this.byScope) {
      const ref = thresholds[0]!;
      this.counters.set(key, { day: this.spend.sum(ref, day, day + 1), month: this.spend.sum(ref, from, to) });
    }
    this.fired = new Set(this.firedIn.all(dayKey(day), monthKey(month)));
    for (const key of this.byScope.keys()) this.evaluate(key);
    this.lastProjection = Number.NEGATIVE_INFINITY;
    this.maybeProject();
    return true;
  }

  private evaluate(key: string): void {
    const c = this.counters.get(key);
    const p = this.period!;
    if (!c) return;
    for (const t of this.byScope.get(key) ?? []) {
      const spent = c[t.period];
      for (const percent of t.levels) {
        // Integers only: spent × 100 ≥ amount × percent.
        if (spent * 100 < t.amountMicros * percent) break;
        this.record(t, 'threshold', percent, spent, p);
      }
    }
  }

  private record(t: BudgetThreshold, kind: AlertMessage['kind'], percent: number, amountMicros: number, p: Period): void {
    const unit = t.period;
    const key = unit === 'day' ? dayKey(p.day) : monthKey(p.month);
    const id = `${t.id}.${key}.${kind === 'threshold' ? percent : 'projected'}`;
    if (this.fired.has(id)) return;
    this.fired.add(id);
    const alert = alertMessageSchema.parse({
      id,
      level: kind === 'threshold' ? alertLevelFor(percent) : 'warning',
      kind,
      threshold: { scope: t.scope, target: t.target, label: null, percent },
      period: { unit, key, label: periodLabel(unit, unit === 'day' ? p.day : p.month) },
      amountMicros,
      budgetMicros: t.amountMicros,
      firedAt: this.deps.clock.now(),
      path: `/alerts/${id}`,
    });
    if (this.fire(alert, this.deps.channels())) {
      this.deps.logger.info('budgets: alert fired', { id, level: alert.level });
      this.deps.onFired?.(alert);
    }
  }

  /** The forecast check: at most once per `projectionEveryMs`, and at every seed. */
  private maybeProject(): void {
    const now = this.deps.clock.now();
    if (now - this.lastProjection < (this.deps.projectionEveryMs ?? PROJECTION_EVERY_MS)) return;
    this.lastProjection = now;
    const monthly = [...this.byScope.values()].flat().filter((t) => t.period === 'month');
    if (monthly.length === 0) return;
    const cal = this.source!.calendar;
    const p = this.period!;
    for (const { threshold, projectedMicros } of projectedOverruns(this.spend, cal, now, p.day, monthly, (t) => this.counters.get(scopeKey(t))?.month ?? 0)) {
      this.record(threshold, 'projected_overrun', 100, projectedMicros, p);
    }
  }
}
