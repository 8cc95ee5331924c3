/**
 * The send queue (issue 9, Deliver 4).
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
 * When each lane claims and sends, and how one loop turn's claims and outcomes commit together,
 * is the scheduler's (scheduler.ts); this class keeps the lanes and answers the operator.
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
import type { MessagingTransport } from '../transport';
import { toCsv, toText } from './export';
import { type Lane, newLane } from './lanes';
import { Deliveries } from './delivery';
import { realTimers, type SendQueueOptions } from './options';
import { Plans } from './plan';
import { Scheduler } from './scheduler';
import { laneStats } from './stats';
import { queuedRow, SendStore, type SendRow, toSend } from './store';
import { TurnCommit } from './turn';

export type { SendQueueOptions } from './options';

export class SendQueue {
  readonly store: SendStore;
  private readonly lanes = new Map<string, Lane>();
  private readonly deliveries: Deliveries;
  private readonly paused: Set<string>;
  private reconciling = false;
  private starting: Promise<void> | null = null;
  private startAbort: AbortController | null = null;
  private refreshing: Promise<void> = Promise.resolve();
  private stopping = false;
  private idleWaiters: Array<() => void> = [];
  /** Outcomes and claims of one loop turn, committed together (see turn.ts). */
  private readonly turn: TurnCommit;
  private readonly plans: Plans;
  private readonly scheduler: Scheduler;
  private readonly unsubscribeShared: () => void;

  constructor(private readonly o: SendQueueOptions) {
    this.store = new SendStore(o.db);
    this.paused = this.store.pausedAccounts();
    this.turn = new TurnCommit(o.db, (rows) => this.progress(rows), o.logger);
    this.plans = new Plans({
      ...o,
      track: (asked, abort) => this.scheduler.track(asked, abort),
      wake: (lane) => this.scheduler.guarded(lane.account.id, () => this.scheduler.wake(lane.account.id)),
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
    this.scheduler = new Scheduler({
      ...o,
      timers: o.timers ?? realTimers,
      store: this.store,
      turn: this.turn,
      deliveries: this.deliveries,
      plans: this.plans,
      lanes: this.lanes,
      paused: this.paused,
      checkIdle: () => this.checkIdle(),
    });
    // A lease that arrives (or a DynamoDB that answers again) wakes the lane waiting on it.
    this.unsubscribeShared =
      o.shared?.onReady((platformId) => {
        for (const lane of this.lanes.values()) if (lane.account.platformAccountId === platformId) this.scheduler.guarded(lane.account.id, () => this.scheduler.wake(lane.account.id));
      }) ?? (() => undefined);
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
      for (const accountId of new Set(fresh.map((r) => r.account_id))) this.scheduler.wake(accountId);
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
      this.scheduler.disarm(lane);
      this.lanes.delete(id);
      this.progress(this.store.failQueued(id, 'account_removed', this.o.clock.now()));
    }
    for (const id of seen) this.scheduler.wake(id);
    this.checkIdle();
  }

  /** Reconciles the sends a crash left in flight, then runs. */
  async start(): Promise<void> {
    if (this.scheduler.running || this.starting) return this.starting ?? undefined;
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
    this.scheduler.run();
    this.checkIdle();
  }

  /** No new send starts; in-flight ones settle, or are aborted after `stopTimeoutMs` (an aborted send that may have left stays in `sending` for the next start to reconcile). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.scheduler.halt();
    this.unsubscribeShared();
    // A lookup still out at start is abandoned: its row stays in `sending` for the next start.
    this.startAbort?.abort();
    await this.starting?.catch(() => undefined);
    await this.scheduler.drain(this.o.stopTimeoutMs ?? 5_000);
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

  /** Every account known to the queue, one `pause` each: the same persisted row an account's own pause writes. */
  pauseAll(): { affected: number; accounts: number } {
    return this.setAllPaused(true);
  }

  resumeAll(): { affected: number; accounts: number } {
    return this.setAllPaused(false);
  }

  private setAllPaused(paused: boolean): { affected: number; accounts: number } {
    const ids = [...this.lanes.keys()];
    let affected = 0;
    for (const accountId of ids) affected += this.setPaused({ accountId }, paused);
    return { affected, accounts: ids.length };
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
    return lanes.map((lane) => laneStats(lane, { store: this.store, limiter: this.o.limiter, operator: this.o.operator(), paused: this.paused.has(lane.account.id), now: this.o.clock.now(), shared: this.o.shared }));
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
    if (!paused) for (const id of 'accountId' in scope ? [scope.accountId] : this.lanes.keys()) this.scheduler.wake(id);
    this.checkIdle();
    return affected;
  }

  private reopen(id: string, from: 'failed' | 'unknown', clientRef: string | null): SendRow {
    const row = this.store.reopen(id, from, clientRef, this.o.clock.now()) ?? this.stateError(id);
    this.progress([row]);
    this.scheduler.wake(row.account_id);
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
    if (!this.idleWaiters.length || this.reconciling || this.scheduler.busy()) return;
    for (const [accountId, n] of this.store.pendingByAccount()) {
      const lane = this.lanes.get(accountId);
      if (n > 0 && lane && lane.transport !== null && lane.account.transport !== 'export' && !lane.offline && !this.paused.has(accountId)) return;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
