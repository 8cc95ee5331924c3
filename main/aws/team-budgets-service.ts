/**
 * The team budgets as a capability: the contract's handlers, and when the team's spend is looked
 * at (after this seat's spend moved, and on an interval for the other seats' spend). Only the
 * live profile's file, outbox and ledger are ever handed in: the Sandbox never reaches the team.
 */
import type { AlertChannel } from '../../shared/alerts';
import type { teamBudgetsMethods, TeamBudgetsState } from '../../shared/contract/team-budgets';
import { AppError } from '../../shared/result';
import type { RollupSource } from '../budgets/evaluator';
import type { Db } from '../db/open';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import type { Outbox } from '../outbox';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { TeamAws } from './clients';
import { TeamAlerts } from './team-alerts';
import { TeamBudgetStore } from './team-budgets';

export const TEAM_EVALUATE_EVERY_MS = 60_000;

export interface TeamBudgetsDeps {
  teamAws: TeamAws;
  db: Db;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  ledger: RollupSource;
  channels: () => readonly AlertChannel[];
  events: EventBus;
  /** The live relay: a claimed alert should leave now, not at its next poll. */
  wake: () => void;
  everyMs?: number;
}

export class TeamBudgets {
  readonly store: TeamBudgetStore;
  readonly alerts: TeamAlerts;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  constructor(private readonly deps: TeamBudgetsDeps) {
    this.store = new TeamBudgetStore(deps.db, deps.clock, deps.logger, (budgets) => deps.events.emit('teamBudgets.changed', { status: 'ok', budgets }));
    this.alerts = new TeamAlerts({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      outbox: deps.outbox,
      connect: () => deps.teamAws.connect(),
      budgets: this.store,
      ledger: deps.ledger,
      channels: deps.channels,
      onRecorded: (alert, firedHere) => {
        deps.events.emit('alerts.changed', { id: alert.id });
        if (firedHere) deps.wake();
      },
    });
  }

  /** Other seats' spend moves without telling this one: look on an interval too. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.poke(), this.deps.everyMs ?? TEAM_EVALUATE_EVERY_MS);
    this.timer.unref?.();
    this.poke();
  }

  /** This seat's spend moved (or the interval came): one evaluation, folded with any in flight. */
  poke(): void {
    if (this.closed) return;
    // A pass reports its own failures as `offline`; anything else is logged, never thrown into a commit.
    this.alerts.evaluate().catch((err: unknown) => this.deps.logger.error('team budgets: evaluation failed', { error: err instanceof Error ? err.message : String(err) }));
  }

  async state(): Promise<TeamBudgetsState> {
    const conn = await this.deps.teamAws.connect();
    if ('unavailable' in conn) return { status: conn.unavailable, budgets: this.store.cached() };
    try {
      return { status: 'ok', budgets: await this.store.refresh(conn) };
    } catch (err) {
      this.deps.logger.warn('team budgets: could not read the team item; showing the local copy', { error: err instanceof Error ? err.name : String(err) });
      return { status: 'offline', budgets: this.store.cached() };
    }
  }

  handlers(): HandlersFor<typeof teamBudgetsMethods> {
    return {
      'teamBudgets.get': () => this.state(),
      'teamBudgets.set': async ({ model, baseVersion }) => {
        const conn = await this.deps.teamAws.connect();
        if ('unavailable' in conn) throw new AppError('unavailable', 'team_unavailable', { reason: conn.unavailable });
        let result;
        try {
          result = await this.store.save(conn, model, baseVersion);
        } catch (err) {
          this.deps.logger.warn('team budgets: save did not reach the team', { error: err instanceof Error ? err.name : String(err) });
          throw new AppError('unavailable', 'team_unavailable', { reason: 'offline' });
        }
        if ('conflict' in result) {
          // Always: this page may hold an older version than this seat's copy already had.
          this.deps.events.emit('teamBudgets.changed', { status: 'ok', budgets: result.conflict });
          throw new AppError('conflict', 'team_budgets_conflict', { version: result.conflict.version });
        }
        const state: TeamBudgetsState = { status: 'ok', budgets: result.saved };
        this.deps.events.emit('teamBudgets.changed', state);
        this.poke();
        return state;
      },
    };
  }

  /** Stops the interval and waits for a pass in flight (it writes to the live file). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.alerts.idle();
  }
}
