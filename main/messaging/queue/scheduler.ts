/**
 * The send queue's scheduler: when each lane claims its next send, and when its transport is
 * called. The queue (queue.ts) keeps the lanes, the pauses and the operator's commands; this
 * module only runs them.
 *
 * Each account is a lane with at most one send in flight (the spacing is ≥ 1 s, so a second would
 * only wait) and one timer: when the limiter, a backoff or a Retry-After makes it wait, the timer
 * is armed for exactly that long, and an enqueue, a resume or a settled send wakes the lane at
 * once, so no gap opens while work waits. Lanes run in parallel. Within a lane jobs take turns
 * (round-robin by job id, see claim.ts), FIFO within a job.
 *
 * Group commit. The claims and outcomes of one loop turn share one transaction (turn.ts): a
 * settled send's outcome commits with its lane's next claim, and lanes woken together claim
 * together; transports are called only after that commit.
 */
import type { LimiterTimers } from '../../limits';
import { claimNext } from './claim';
import type { Deliveries, Outcome } from './delivery';
import type { Lane } from './lanes';
import type { SendQueueOptions } from './options';
import type { Plans } from './plan';
import type { SendStore } from './store';
import type { TurnCommit, TurnStep } from './turn';

export interface SchedulerOptions extends Pick<SendQueueOptions, 'db' | 'clock' | 'logger' | 'limiter' | 'operator' | 'shared' | 'limitFor'> {
  timers: LimiterTimers;
  store: SendStore;
  turn: TurnCommit;
  deliveries: Deliveries;
  plans: Plans;
  /** The queue's lanes and paused accounts, read live: the queue alone changes them. */
  lanes: ReadonlyMap<string, Lane>;
  paused: ReadonlySet<string>;
  /** The queue's idle check, run whenever a step may have left nothing to wait for. */
  checkIdle: () => void;
}

export class Scheduler {
  private isRunning = false;
  /** Lanes whose next step is already in this turn's batch. */
  private readonly waking = new Set<string>();
  /** Every send in flight, a removed account's included, so a stop waits for all before the file closes. */
  private readonly flights = new Set<Promise<void>>();
  private readonly aborts = new Set<AbortController>();

  constructor(private readonly o: SchedulerOptions) {}

  get running(): boolean {
    return this.isRunning;
  }

  /** Lanes start claiming: every one is woken. */
  run(): void {
    this.isRunning = true;
    for (const id of this.o.lanes.keys()) this.wake(id);
  }

  /** No lane claims again; what is in flight goes on until `drain`. */
  halt(): void {
    this.isRunning = false;
  }

  /** True while a step waits for its turn or a lane has work out: the queue is not idle then. */
  busy(): boolean {
    // A step still waiting for its turn may fail or claim what is queued: not idle before it ran.
    if (this.waking.size) return true;
    for (const lane of this.o.lanes.values()) if (lane.inFlight || lane.probing || lane.planning) return true;
    return false;
  }

  /** Keeps other work on a lane's transport (a plan request) among what `drain` waits for and aborts. */
  track(work: Promise<void>, abort: AbortController): void {
    this.flights.add(work);
    this.aborts.add(abort);
    void work.finally(() => {
      this.flights.delete(work);
      this.aborts.delete(abort);
    });
  }

  /** After `halt`: in-flight work settles, or is aborted after `timeoutMs`, and no timer is left armed. */
  async drain(timeoutMs: number): Promise<void> {
    for (const lane of this.o.lanes.values()) this.disarm(lane);
    if (this.flights.size) {
      let bound: unknown;
      const timedOut = new Promise<void>((resolve) => (bound = this.o.timers.setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all(this.flights), timedOut]);
      this.o.timers.clearTimeout(bound);
      for (const abort of this.aborts) abort.abort();
      await Promise.all(this.flights);
    }
    for (const lane of this.o.lanes.values()) this.disarm(lane);
  }

  /**
   * Puts the lane's next step into this turn's batch: lanes woken in the same turn (many replies
   * landing together) claim their next sends in one transaction.
   */
  wake(accountId: string): void {
    if (!this.isRunning || this.waking.has(accountId)) return;
    this.waking.add(accountId);
    this.o.turn
      .run((t) => {
        this.waking.delete(accountId);
        this.step(accountId, t);
      })
      .catch((err: unknown) => {
        // The step rolled back (a locked or closed file): logged, and the next wake retries.
        this.waking.delete(accountId);
        this.o.logger.error('sends: scheduler step failed', { accountId, error: String(err) });
      })
      // Whatever the step did, the idle check it held back runs now.
      .finally(() => this.guarded(accountId, () => undefined));
  }

  /** For steps with no caller to report to (timers, settled sends): a failure (a locked or closed file) is logged, and the next wake retries. */
  guarded(accountId: string, step: () => void): void {
    try {
      step();
      this.o.checkIdle();
    } catch (err) {
      this.o.logger.error('sends: scheduler step failed', { accountId, error: String(err) });
    }
  }

  disarm(lane: Lane): void {
    if (lane.timer !== null) this.o.timers.clearTimeout(lane.timer);
    lane.timer = null;
  }

  /** The lane's next step, inside the turn's transaction: claim a send, or arm its one timer for exactly as long as it must wait. */
  private step(accountId: string, t: TurnStep): void {
    const lane = this.o.lanes.get(accountId);
    if (!lane || !this.isRunning || lane.inFlight || lane.probing || lane.planning || lane.transport === undefined) return;
    if (lane.account.transport === 'export' || this.o.paused.has(accountId)) return;
    // An armed probe stays armed: enqueues arriving while offline must not keep postponing it.
    if (lane.offline && lane.timer !== null) return;
    this.disarm(lane);
    if (lane.offline) return this.arm(lane, this.o.deliveries.probeDelay(lane), () => void this.probe(lane));
    // Sends whose fate the platform could not tell come first: nothing more goes out before they are known.
    if (lane.recheck.size) return this.launch(lane, t, (signal) => this.o.deliveries.recheck(lane, signal).then(() => null));
    const { shared, limitFor } = this.o;
    const claim = claimNext(lane, t, { db: this.o.db, store: this.o.store, limiter: this.o.limiter, operator: this.o.operator(), now: this.o.clock.now(), shared, limitFor });
    if (claim.kind === 'wait') this.arm(lane, claim.ms);
    const transport = lane.transport;
    if (claim.kind !== 'send' || !transport) return this.o.checkIdle();
    const limiter = this.o.limiter;
    const settled = () => {
      limiter.reanchor(claim.grant);
      shared?.settled(lane.account.platformAccountId);
    };
    this.launch(lane, t, (signal) => this.o.deliveries.deliver(lane, transport, claim.row, signal, settled));
  }

  /**
   * The lane is busy from now on (nothing claims it twice, nobody calls the queue idle), but
   * `work` (the transport call) starts only once the step's transaction has committed: a row is
   * durably `sending`, with its grant, before its message can leave. Rolled back, nothing starts.
   * Its outcome commits in a later turn's transaction together with the lane's next claim.
   */
  private launch(lane: Lane, t: TurnStep, work: (signal: AbortSignal) => Promise<Outcome>): void {
    const accountId = lane.account.id;
    const abort = new AbortController();
    const committed = new Promise<boolean>((resolve) => t.after(resolve));
    let stepped = false;
    const land = () => {
      if (lane.inFlight === flight) lane.inFlight = null;
      this.flights.delete(flight);
      this.aborts.delete(abort);
    };
    const flight: Promise<void> = committed
      // The transports start in the next loop turn, not in the one that ran the batch's transaction:
      // each turn then blocks for one of the two, never both.
      .then((ok) => (ok ? new Promise<void>((resolve) => setImmediate(resolve)).then(() => work(abort.signal)) : null))
      .catch((err: unknown) => {
        this.o.logger.error('sends: delivery crashed', { accountId, error: String(err) });
        return null;
      })
      .then((outcome) =>
        this.o.turn.run((next) => {
          if (outcome) next.report(outcome());
          land();
          if (this.o.lanes.get(accountId) === lane) this.step(accountId, next);
          else next.report(this.o.store.failQueued(accountId, 'account_removed', this.o.clock.now()));
          stepped = true;
        }),
      )
      .catch((err: unknown) => this.o.logger.error('sends: outcome not committed', { accountId, error: String(err) }))
      .finally(() => {
        land();
        // The outcome's transaction rolled back: the lane's next step is tried again in a later turn.
        if (!stepped && this.o.lanes.get(accountId) === lane) this.wake(accountId);
        this.guarded(accountId, () => undefined);
      });
    lane.inFlight = flight;
    this.flights.add(flight);
    this.aborts.add(abort);
  }

  private async probe(lane: Lane): Promise<void> {
    lane.probing = true;
    try {
      const answer = await this.o.deliveries.probe(lane);
      // The probe is a Test connection: its plan is the latest word on the limits.
      if (answer?.ok) this.o.plans.apply(lane, answer.limits);
    } finally {
      lane.probing = false;
    }
    this.guarded(lane.account.id, () => this.wake(lane.account.id));
  }

  private arm(lane: Lane, ms: number, then: () => void = () => this.wake(lane.account.id)): void {
    this.disarm(lane);
    if (!this.isRunning) return;
    lane.timer = this.o.timers.setTimeout(() => {
      lane.timer = null;
      this.guarded(lane.account.id, then);
    }, Math.max(0, ms));
  }
}
