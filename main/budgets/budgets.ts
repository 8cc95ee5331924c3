import { ALERT_TOPICS, type AlertChannel, type AlertMessage } from '../../shared/alerts';
import type { BudgetModel, BudgetThreshold } from '../../shared/budgets';
import { AppError } from '../../shared/result';
import type { Db } from '../db/open';
import { transaction } from '../db/tx';
import { seatAlertMessage } from '../sync/alert-topic';
import type { Clock } from '../ports/clock';
import { BudgetEvaluator, type EvaluatorDeps, type RollupSource } from './evaluator';
import { BudgetStore } from './store';

export type BudgetsDeps = EvaluatorDeps;

/** A hard stop that applies to a request, with what its scope has spent this period. */
export interface HardStopState {
  threshold: BudgetThreshold;
  spentMicros: number;
  /** A team threshold (aws/spend-budget.ts): amount is this seat's allowance, spent its own spend. */
  team?: true;
}

export const MAX_HISTORY = 200;

/**
 * An alert's delivery rows, one per channel topic. The topics are named, not matched by a
 * pattern, so each is a lookup in UNIQUE(topic, key) instead of a scan of the whole outbox.
 */
export const DELIVERIES_SQL = `SELECT topic, state, last_error FROM outbox WHERE topic IN (${Object.values(ALERT_TOPICS)
  .map((t) => `'${t}'`)
  .join(', ')}) AND key = ?`;

interface AlertRow {
  message: string;
  channels: string;
  acknowledged_at: number | null;
}

interface DeliveryRow {
  topic: string;
  state: 'pending' | 'delivered' | 'dead';
  last_error: string | null;
}

/**
 * One profile's budgets: the model (the same one alerts and the orchestrator read), the
 * evaluator on its ledger, and the alert history with acknowledgement.
 */
export class Budgets {
  readonly store: BudgetStore;
  readonly evaluator: BudgetEvaluator;
  private readonly list;
  private readonly deliveries;
  private readonly ack: (id: string) => boolean;
  private readonly clock: Clock;

  constructor(deps: BudgetsDeps) {
    const db: Db = deps.db;
    this.clock = deps.clock;
    this.store = new BudgetStore(db, deps.clock, deps.logger);
    this.evaluator = new BudgetEvaluator(deps);
    this.evaluator.setModel(this.store.get());
    this.list = db.prepare<[number], AlertRow>('SELECT message, channels, acknowledged_at FROM cost_alerts ORDER BY fired_at DESC, percent DESC, id DESC LIMIT ?');
    this.deliveries = db.prepare<[string], DeliveryRow>(DELIVERIES_SQL);
    const ack = db.prepare<[number, string]>('UPDATE cost_alerts SET acknowledged_at = COALESCE(acknowledged_at, ?) WHERE id = ?');
    this.ack = transaction(db, (tx, id: string) => {
      if (ack.run(deps.clock.now(), id).changes === 0) return false;
      // The team's copy shows the acknowledgement too; team alerts (`team-…`) live under their claim, not this seat's key.
      if (deps.profile === 'live' && !id.startsWith('team-')) deps.outbox.enqueue(tx, seatAlertMessage(id, 'acknowledged'));
      return true;
    });
  }

  attach(source: RollupSource): void {
    this.evaluator.attach(source);
  }

  model(): BudgetModel {
    return this.store.get();
  }

  setModel(model: BudgetModel): BudgetModel {
    const saved = this.store.set(model);
    this.evaluator.setModel(saved);
    return saved;
  }

  /** Thresholds with a hard stop that may bind this request (a provider's only binds that provider's steps). */
  hardStops(campaignId: string | undefined): HardStopState[] {
    const out: HardStopState[] = [];
    for (const t of this.store.get().thresholds) {
      if (t.hardStop === 'none') continue;
      if (t.scope === 'campaign' && t.target !== campaignId) continue;
      out.push({ threshold: t, spentMicros: this.evaluator.spent(t) });
    }
    return out;
  }

  history() {
    return this.list.all(MAX_HISTORY).map((r) => {
      const alert = JSON.parse(r.message) as AlertMessage;
      const rows = new Map(this.deliveries.all(alert.id).map((d) => [d.topic, d]));
      const channels = (JSON.parse(r.channels) as AlertChannel[]).map((channel) => {
        const d = rows.get(ALERT_TOPICS[channel]);
        // Delivered rows are compacted out of the outbox after a while: gone means delivered.
        return { channel, state: d?.state ?? ('delivered' as const), lastError: d?.state === 'delivered' ? null : (d?.last_error ?? null) };
      });
      return { ...alert, acknowledgedAt: r.acknowledged_at, channels };
    });
  }

  acknowledge(id: string) {
    if (!this.ack(id)) throw new AppError('not_found', 'alert_not_found', { id });
    return { id, acknowledgedAt: this.history().find((a) => a.id === id)?.acknowledgedAt ?? this.clock.now() };
  }
}
