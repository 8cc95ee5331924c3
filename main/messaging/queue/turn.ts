/**
 * Group commit for the send queue. The database runs `synchronous=FULL` (a power loss must never
 * lose a `sending` row whose message went out), so every commit is an fsync. When many accounts'
 * replies land in one loop turn, committing each outcome and each next claim on its own ran those
 * fsyncs back to back and blocked the loop for most of the turn. Instead, every step handed in
 * during a turn (an outcome, a lane's next claim) runs in ONE transaction on the next check phase,
 * the progress of the whole batch is reported once, and only then do the steps' `after` callbacks
 * run: a transport is called from there, so a row is durably `sending`, with its limiter grant,
 * before its message can leave.
 *
 * A step that throws does not sink the batch: the others still commit. No savepoint per step
 * (they cost as much as the steps): a step's writes are one statement (an outcome), or a limiter
 * grant followed by the claim it allows, so a step stopped midway leaves at most a grant without
 * its send, which only makes the limiter stricter. Its `after` callbacks get `false`, so no
 * transport is called for it; a claim that did land stays in `sending` for the next start to
 * reconcile, exactly as after a crash.
 */
import type { Db } from '../../db/open';
import type { Logger } from '../../ports/logger';
import type { SendRow } from './store';

export interface TurnStep {
  /** Rows the step moved, reported once for the whole batch after it commits. */
  report(rows: SendRow | readonly SendRow[] | null): void;
  /** Runs after the batch settles: `committed` false when this step's writes were rolled back. */
  after(fn: (committed: boolean) => void): void;
}

interface Pending {
  run: (step: TurnStep) => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class TurnCommit {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly progress: (rows: SendRow[]) => void,
    private readonly logger: Logger,
  ) {}

  /** Queues `run` for this turn's transaction; settles after the commit (or the rollback). */
  run<T>(run: (step: TurnStep) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) this.flushing = new Promise<void>((done) => setImmediate(() => done(this.flush())));
    });
  }

  /** Resolves once every step handed in so far has committed or failed. */
  async settled(): Promise<void> {
    while (this.flushing) {
      const f = this.flushing;
      await f;
      if (this.flushing === f) this.flushing = null;
    }
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const rows: SendRow[] = [];
    const afters: Array<Array<(committed: boolean) => void>> = batch.map(() => []);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    let committed = true;
    let batchError: unknown = null;
    try {
      this.db.transaction(() => {
        batch.forEach((p, i) => {
          const step: TurnStep = {
            // What a step wrote before it threw commits too, so it is reported too.
            report: (r) => {
              if (r === null) return;
              if (Array.isArray(r)) rows.push(...(r as readonly SendRow[]));
              else rows.push(r as SendRow);
            },
            after: (fn) => afters[i]!.push(fn),
          };
          try {
            outcomes.push({ ok: true, value: p.run(step) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        });
      })();
    } catch (err) {
      // The commit itself failed (a closed or locked file): nothing of the batch is durable.
      committed = false;
      batchError = err;
    }
    if (committed && rows.length) {
      try {
        this.progress(rows);
      } catch (err) {
        this.logger.error('sends: progress listener failed', { error: String(err) });
      }
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      const ok = committed && outcome?.ok === true;
      for (const fn of afters[i]!) {
        try {
          fn(ok);
        } catch (err) {
          this.logger.error('sends: after-commit step failed', { error: String(err) });
        }
      }
      if (ok) p.resolve((outcome as { value: unknown }).value);
      else p.reject(committed ? (outcome as { error: unknown }).error : batchError);
    });
  }
}
