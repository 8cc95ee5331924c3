/**
 * The send queue and its scheduler (issue 9, Deliver 4).
 *
 * Crash safety. A send moves to `sending` (one attempt more) in the same transaction that
 * persists the limiter's grant, before the transport is called; its outcome commits after. So a
 * kill -9 leaves at most the sends that were in flight in `sending`, each carrying the client
 * reference it went out with, and `start()` asks the platform about each before anything else
 * is sent: there → sent, certainly absent → queued again, the platform answers but cannot tell
 * → `unknown` for the operator, the platform unreachable → still `sending`, the account offline,
 * asked again once a probe gets through. Nothing is ever sent again blindly; a failure that may
 * have delivered the message (`maybeSent`) goes through the same lookup at once.
 *
 * Group commit. The claims and outcomes of one loop turn share one transaction (turn.ts): a
 * settled send's outcome commits with its lane's next claim, and lanes woken together claim
 * together; transports are called only after that commit.
 *
 * Scheduling. Each account is a lane with at most one send in flight (the spacing is ≥ 1 s, so a
 * second would only wait) and one timer: when the limiter, a backoff or a Retry-After makes it
 * wait, the timer is armed for exactly that long, and an enqueue, a resume or a settled send
 * wakes the lane at once, so no gap opens while work waits. Lanes run in parallel. Within a lane
 * jobs take turns (round-robin by job id), FIFO within a job.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Account } from '../../../shared/accounts';
import { AppError, issuesOf } from '../../../shared/result';
import {
  type AccountSendStats,
  type Send,
  type SendRequest,
  type SendScope,
  type SendState,
  sendListQuerySchema,
  sendRequestSchema,
} from '../../../shared/sending';
import { transaction } from '../../db/tx';
import type { LimiterTimers } from '../../limits';
import type { MessagingTransport } from '../transport';
import { toCsv, toText } from './export';
import { type Lane, newLane } from './lanes';
import { claimNext } from './claim';
import { Deliveries, type Outcome } from './delivery';
import { realTimers, type SendQueueOptions } from './options';
import { Plans } from './plan';
import { laneStats } from './stats';
import { queuedRow, SendStore, type SendRow, toSend } from './store';
import { TurnCommit, type TurnStep } from './turn';

export type { SendQueueOptions } from './options';


export class SendQueue {
  readonly store: SendStore;
  private readonly lanes = new Map<string, Lane>();
  private readonly timers: LimiterTimers;
  private readonly deliveries: Deliveries;
  private paused: Set<string>;
  private running = false;
  private reconciling = false;
  private starting: Promise<void> | null = null;
  private startAbort: AbortController | null = null;
  /** Every send in flight, a removed account's included, so stop() waits for all before the file closes. */
  private readonly flights = new Set<Promise<void>>();
  private readonly aborts = new Set<AbortController>();
  private refreshing: Promise<void> = Promise.resolve();
  private stopping = false;
  private idleWaiters: Array<() => void> = [];
  /** Outcomes and claims of one loop turn, committed together (see turn.ts). */
  private readonly turn: TurnCommit;
  /** Lanes whose next step is already in this turn's batch. */
  private readonly waking = new Set<string>();
  private readonly plans: Plans;

  constructor(private readonly o: SendQueueOptions) {
    this.store = new SendStore(o.db);
    this.timers = o.timers ?? realTimers;
    this.paused = this.store.pausedAccounts();
    this.turn = new TurnCommit(o.db, (rows) => this.progress(rows), o.logger);
    this.plans = new Plans({
      ...o,
      track: (asked, abort) => {
        this.flights.add(asked);
        this.aborts.add(abort);
        void asked.finally(() => {
          this.flights.delete(asked);
          this.aborts.delete(abort);
        });
      },
      wake: (lane) => this.guarded(lane.account.id, () => this.wake(lane.account.id)),
    });
    this.deliveries = new Deliveries({
      store: this.store,
      clock: o.clock,
      logger: o.logger,
      random: o.random ?? Math.random,
      maxAttempts: o.maxAttempts ?? 8,
      backoff: o.backoff ?? { baseMs: 1_000, maxMs: 5 * 60_000 },
      offlineBackoff: o.offlineBackoff ?? { baseMs: 1_000, maxMs: 30_000 },
      commit: (write) =>
        this.turn.run((t) => {
          t.report(write());
        }),
      queueChanged: (accountId) => o.onQueueChanged?.({ accountId, jobId: null }),
    });
    const initial = o.accounts();
    if (Array.isArray(initial)) for (const a of initial as readonly Account[]) this.lanes.set(a.id, newLane(a));
  }

  /** Queues one send; refused (nothing stored) when invalid, for an unknown account, or with a restricted word. */
  enqueue(request: SendRequest): Send {
    return this.enqueueMany([request])[0]!;
  }

  /** Many sends in one transaction: all are stored or none (a campaign is just this). */
  enqueueMany(requests: readonly SendRequest[]): Send[] {
    const now = this.o.clock.now();
    const checked = requests.map((request, i) => {
      const parsed = sendRequestSchema.safeParse(request);
      if (!parsed.success) throw new AppError('invalid_input', 'invalid_input', { index: i }, issuesOf(parsed.error));
      const r = parsed.data;
      if (!this.lanes.has(r.accountId)) throw new AppError('not_found', 'account_not_found', { id: r.accountId });
      const verdict = this.o.restricted().checkText(r.text);
      if (!verdict.ok) throw new AppError('invalid_input', 'restricted_word', { word: verdict.word, index: i });
      return r;
    });
    const fresh: SendRow[] = [];
    const sends = transaction(this.o.db, () =>
      checked.map((r) => {
        const existing = r.idempotencyKey === undefined ? null : this.store.byKey(r.idempotencyKey);
        if (existing) return toSend(existing);
        const row = queuedRow(r, uuidv7({ msecs: now }), now);
        this.store.insert(row);
        fresh.push({ ...row, seq: 0 });
        return toSend({ ...row, seq: 0 });
      }),
    )();
    if (fresh.length) {
      this.progress(fresh);
      for (const accountId of new Set(fresh.map((r) => r.account_id))) this.wake(accountId);
    }
    return sends;
  }

  /** Re-reads the accounts (after accounts CRUD): new limits, new transports, removed accounts' queued sends fail. */
  refreshAccounts(): Promise<void> {
    // One at a time: an older read finishing last would drop the lanes of accounts added since.
    const next = this.refreshing.catch(() => undefined).then(() => this.readAccounts());
    this.refreshing = next;
    return next;
  }

  private async readAccounts(): Promise<void> {
    const accounts = await this.o.accounts();
    const seen = new Set<string>();
    for (const account of accounts) {
      seen.add(account.id);
      let lane = this.lanes.get(account.id);
      const changed = !lane || lane.transport === undefined || lane.account.updatedAt !== account.updatedAt;
      if (!lane) this.lanes.set(account.id, (lane = this.store.remember(newLane(account), this.o.clock.now())));
      if (!changed) continue;
      lane.account = account;
      this.plans.pace(lane);
      let transport: MessagingTransport | null = null;
      try {
        if (account.transport !== 'export') transport = await this.o.transportFor(account);
      } catch (err) {
        // A transport that cannot be built (a bad stored address) leaves the account unable to send, not the queue unable to start.
        this.o.logger.warn('sends: no transport for account', { accountId: account.id, error: String(err) });
      }
      // The account may have changed again while the transport was being built.
      if (lane.account === account) {
        lane.transport = transport;
        if (transport) this.plans.learn(lane, transport);
      }
      lane.offline = null;
    }
    for (const [id, lane] of this.lanes) {
      if (seen.has(id)) continue;
      // A send already in flight finishes; what it leaves queued is failed when it settles.
      this.disarm(lane);
      this.lanes.delete(id);
      this.progress(this.store.failQueued(id, 'account_removed', this.o.clock.now()));
    }
    for (const id of seen) this.wake(id);
    this.checkIdle();
  }

  /** Reconciles the sends a crash left in flight, then runs. */
  async start(): Promise<void> {
    if (this.running || this.starting) return this.starting ?? undefined;
    this.stopping = false;
    this.starting = this.run().finally(() => (this.starting = null));
    return this.starting;
  }

  private async run(): Promise<void> {
    await this.refreshAccounts();
    if (this.stopping) return;
    this.store.pruneThrottles(this.o.clock.now() - 86_400_000);
    this.reconciling = true;
    this.startAbort = new AbortController();
    try {
      await this.deliveries.reconcile(this.store.inFlightApi(), (id) => this.lanes.get(id), this.startAbort.signal);
    } finally {
      this.reconciling = false;
    }
    // stop() may have come while the platform was being asked: the database may be closing.
    if (this.stopping) return;
    this.running = true;
    for (const id of this.lanes.keys()) this.wake(id);
    this.checkIdle();
  }

  /** No new send starts; in-flight ones settle, or are aborted after `stopTimeoutMs` (an aborted send that may have left stays in `sending` for the next start to reconcile). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.running = false;
    // A lookup still out at start is abandoned: its row stays in `sending` for the next start.
    this.startAbort?.abort();
    await this.starting?.catch(() => undefined);
    for (const lane of this.lanes.values()) this.disarm(lane);
    if (this.flights.size) {
      let bound: unknown;
      const timedOut = new Promise<void>((resolve) => (bound = this.timers.setTimeout(resolve, this.o.stopTimeoutMs ?? 5_000)));
      await Promise.race([Promise.all(this.flights), timedOut]);
      this.timers.clearTimeout(bound);
      for (const abort of this.aborts) abort.abort();
      await Promise.all(this.flights);
    }
    for (const lane of this.lanes.values()) this.disarm(lane);
    // A batch already handed in must not reach the file after the caller closes it.
    await this.turn.settled();
    this.checkIdle();
  }

  /** Resolves once nothing is in flight and no queued send waits on an account that can send (paused, offline and export accounts do not count). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  pause(scope: SendScope): number {
    return this.setPaused(scope, true);
  }

  resume(scope: SendScope): number {
    return this.setPaused(scope, false);
  }

  cancel(scope: SendScope): number {
    const rows = this.store.cancel(scope, this.o.clock.now());
    this.progress(rows);
    this.checkIdle();
    return rows.length;
  }

  /** A failed send goes back to the queue, its attempt budget afresh, the same client reference. */
  retry(id: string): Send {
    const row = this.reopen(id, 'failed', null);
    return toSend(row);
  }

  /** The operator decides an `unknown` send: it went out, or send it again (under a new client reference, so a later lookup finds only the resend). */
  resolve(id: string, as: 'sent' | 'resend'): Send {
    if (as === 'resend') return toSend(this.reopen(id, 'unknown', `${id}.${this.mustGet(id).attempts}`));
    const row = this.store.markSent(id, 'unknown', null, this.o.clock.now()) ?? this.stateError(id);
    this.progress([row]);
    return toSend(row);
  }

  get(id: string): Send | null {
    const row = this.store.byId(id);
    return row ? toSend(row) : null;
  }

  list(query: unknown): Send[] {
    const q = sendListQuerySchema.safeParse(query);
    if (!q.success) throw new AppError('invalid_input', 'invalid_input', {}, issuesOf(q.error));
    return this.store.list(q.data).map(toSend);
  }

  stats(accountId?: string): AccountSendStats[] {
    const lanes = accountId === undefined ? [...this.lanes.values()] : [this.mustLane(accountId)];
    return lanes.map((lane) => laneStats(lane, { store: this.store, limiter: this.o.limiter, operator: this.o.operator(), paused: this.paused.has(lane.account.id), now: this.o.clock.now() }));
  }

  /** Hands up to `limit` of an export account's queued sends to the operator; they wait in `sending` for `confirm`. */
  exportPending(accountId: string, format: 'csv' | 'text', limit: number): { content: string; ids: string[] } {
    const lane = this.mustLane(accountId);
    if (lane.account.transport !== 'export') throw new AppError('conflict', 'send_state', { transport: lane.account.transport });
    const rows = this.store.takeForExport(accountId, limit, this.o.clock.now());
    this.progress(rows);
    const sends = rows.map(toSend);
    return { content: format === 'csv' ? toCsv(sends) : toText(sends), ids: sends.map((s) => s.id) };
  }

  /** The operator's word on exported sends: sent, or not (failed `not_sent_by_operator`; a retry queues it again). */
  confirm(ids: readonly string[], sent: boolean): number {
    const rows = this.store.confirmExported(ids, sent, this.o.clock.now());
    this.progress(rows);
    return rows.length;
  }

  /**
   * Puts the lane's next step into this turn's batch: lanes woken in the same turn (many replies
   * landing together) claim their next sends in one transaction.
   */
  private wake(accountId: string): void {
    if (!this.running || this.waking.has(accountId)) return;
    this.waking.add(accountId);
    this.turn
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

  /** The lane's next step, inside the turn's transaction: claim a send, or arm its one timer for exactly as long as it must wait. */
  private step(accountId: string, t: TurnStep): void {
    const lane = this.lanes.get(accountId);
    if (!lane || !this.running || lane.inFlight || lane.probing || lane.planning || lane.transport === undefined) return;
    if (lane.account.transport === 'export' || this.paused.has(accountId)) return;
    // An armed probe stays armed: enqueues arriving while offline must not keep postponing it.
    if (lane.offline && lane.timer !== null) return;
    this.disarm(lane);
    if (lane.offline) return this.arm(lane, this.deliveries.probeDelay(lane), () => void this.probe(lane));
    // Sends whose fate the platform could not tell come first: nothing more goes out before they are known.
    if (lane.recheck.size) return this.launch(lane, t, (signal) => this.deliveries.recheck(lane, signal).then(() => null));
    const claim = claimNext(lane, t, { db: this.o.db, store: this.store, limiter: this.o.limiter, operator: this.o.operator(), now: this.o.clock.now() });
    if (claim.kind === 'wait') this.arm(lane, claim.ms);
    const transport = lane.transport;
    if (claim.kind !== 'send' || !transport) return this.checkIdle();
    this.launch(lane, t, (signal) => this.deliveries.deliver(lane, transport, claim.row, signal));
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
        this.turn.run((next) => {
          if (outcome) next.report(outcome());
          land();
          if (this.lanes.get(accountId) === lane) this.step(accountId, next);
          else next.report(this.store.failQueued(accountId, 'account_removed', this.o.clock.now()));
          stepped = true;
        }),
      )
      .catch((err: unknown) => this.o.logger.error('sends: outcome not committed', { accountId, error: String(err) }))
      .finally(() => {
        land();
        // The outcome's transaction rolled back: the lane's next step is tried again in a later turn.
        if (!stepped && this.lanes.get(accountId) === lane) this.wake(accountId);
        this.guarded(accountId, () => undefined);
      });
    lane.inFlight = flight;
    this.flights.add(flight);
    this.aborts.add(abort);
  }

  private async probe(lane: Lane): Promise<void> {
    lane.probing = true;
    try {
      const answer = await this.deliveries.probe(lane);
      // The probe is a Test connection: its plan is the latest word on the limits.
      if (answer?.ok) this.plans.apply(lane, answer.limits);
    } finally {
      lane.probing = false;
    }
    this.guarded(lane.account.id, () => this.wake(lane.account.id));
  }

  /** For steps with no caller to report to (timers, settled sends): a failure (a locked or closed file) is logged, and the next wake retries. */
  private guarded(accountId: string, step: () => void): void {
    try {
      step();
      this.checkIdle();
    } catch (err) {
      this.o.logger.error('sends: scheduler step failed', { accountId, error: String(err) });
    }
  }

  private arm(lane: Lane, ms: number, then: () => void = () => this.wake(lane.account.id)): void {
    this.disarm(lane);
    if (!this.running) return;
    lane.timer = this.timers.setTimeout(() => {
      lane.timer = null;
      this.guarded(lane.account.id, then);
    }, Math.max(0, ms));
  }

  private disarm(lane: Lane): void {
    if (lane.timer !== null) this.timers.clearTimeout(lane.timer);
    lane.timer = null;
  }

  private setPaused(scope: SendScope, paused: boolean): number {
    if ('accountId' in scope) this.mustLane(scope.accountId);
    const changed = this.store.setPause(scope, paused, this.o.clock.now());
    if ('accountId' in scope) {
      if (paused) this.paused.add(scope.accountId);
      else this.paused.delete(scope.accountId);
    }
    if (changed) this.o.onQueueChanged?.('accountId' in scope ? { accountId: scope.accountId, jobId: null } : { accountId: null, jobId: scope.jobId });
    // Counted before waking: a resumed lane moves its first send to `sending` at once.
    const affected = this.store.countQueued(scope);
    if (!paused) for (const id of 'accountId' in scope ? [scope.accountId] : this.lanes.keys()) this.wake(id);
    this.checkIdle();
    return affected;
  }

  private reopen(id: string, from: 'failed' | 'unknown', clientRef: string | null): SendRow {
    const row = this.store.reopen(id, from, clientRef, this.o.clock.now()) ?? this.stateError(id);
    this.progress([row]);
    this.wake(row.account_id);
    return row;
  }

  private mustGet(id: string): SendRow {
    const row = this.store.byId(id);
    if (!row) throw new AppError('not_found', 'send_not_found', { id });
    return row;
  }

  private stateError(id: string): never {
    throw new AppError('conflict', 'send_state', { state: this.mustGet(id).state });
  }

  private mustLane(accountId: string): Lane {
    const lane = this.lanes.get(accountId);
    if (!lane) throw new AppError('not_found', 'account_not_found', { id: accountId });
    return lane;
  }

  private progress(rows: readonly SendRow[]): void {
    if (!rows.length || !this.o.onProgress) return;
    this.o.onProgress(rows.map((r) => ({ id: r.id, accountId: r.account_id, jobId: r.job_id, state: r.state as SendState, reason: r.reason })));
  }

  private checkIdle(): void {
    // A step still waiting for its turn may fail or claim what is queued: not idle before it ran.
    if (!this.idleWaiters.length || this.reconciling || this.waking.size) return;
    for (const lane of this.lanes.values()) if (lane.inFlight || lane.probing || lane.planning) return;
    for (const [accountId, n] of this.store.pendingByAccount()) {
      const lane = this.lanes.get(accountId);
      if (n > 0 && lane && lane.transport !== null && lane.account.transport !== 'export' && !lane.offline && !this.paused.has(accountId)) return;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
