/**
 * A layered, persistent GCRA rate limiter (issue 9, Deliver 3).
 *
 * Model. Each layer (account, operator, global) compiles to one or two GCRA rules (rules.ts):
 * emission interval T = 60 000 / perMinute ms and burst b, plus, when `minSpacingMs` is set, a
 * second rule with T = minSpacingMs and b = 1 — so "10 a minute" and "3 s apart" both hold
 * whatever burst is configured. A rule keeps one number per key, its theoretical arrival time
 * (TAT). A send at time t passes a rule when max(TAT, t) − t ≤ (b − 1)·T and then sets
 * TAT := max(TAT, t) + T. A send is granted only when every rule of every layer passes; a
 * refusal consumes nothing anywhere.
 *
 * Invariant (tested by tests/property/limiter.test.ts, measured by the `sending` bench): for
 * every rule, every key and every closed window of length W (true elapsed time), the granted
 * sends in it number at most b + ⌊W / T⌋, i.e. burst + rate × W. (Proof sketch: n grants in the
 * window push TAT from ≥ t₁ to ≥ t₁ + (n−1)·T before the n-th, which passed only if
 * t₁ + (n−1)·T − tₙ ≤ (b−1)·T, so n ≤ b + (tₙ − t₁)/T.) Across a restart the same holds with
 * one exception stated under Time.
 *
 * Arrivals. The platform judges when a send ARRIVES, not when it was granted; a request delayed
 * between its grant and its arrival (a stalled process, a slow hop) would otherwise arrive right
 * before the next grant. So the caller `reanchor`s a grant when the send's reply (or a failure
 * that may have reached the platform) is seen: the account layer's rules then act as if that
 * grant had happened at the reply, which is after the arrival. With one send in flight per
 * account and burst 1, the next grant is ≥ reply + T ≥ arrival + T: consecutive arrivals of an
 * account are at least T apart whatever the delays. Re-anchoring only ever moves a TAT forward,
 * so it never frees anything and the invariant above holds as stated.
 *
 * Time. Decisions run on the limiter's own timeline V = clock.monotonic() + offset, so a wall
 * clock jump while running neither frees nor locks anything. The monotonic source restarts
 * with the process, so each persisted grant also saves the pair (V, wall) at that grant. On
 * load the timeline resumes at V_saved + elapsed, where elapsed = wall_now − wall_saved,
 * clamped at 0 when the wall went backwards (a restart then waits out its remaining debt,
 * never more). A forward jump is taken at its word — nothing else survives the restart to
 * check it against — but it can free at most what the state still owed: after a grant a rule's
 * TAT is at most b·T ahead of V, so elapsed beyond that frees nothing more. The one case the
 * invariant does not cover is therefore a wall jump forward between the last persisted grant
 * and the next start, and it lets through at most one extra burst per rule per such restart.
 *
 * Persistence. Decisions run from memory. A grant carries the rule states it set; the caller
 * writes them with `persist(tx, grant)` inside the very transaction that records the send, so
 * the database never holds a send without the budget it spent, nor the reverse. A grant whose
 * transaction rolls back stays spent in memory (the safe direction); after a restart it is
 * forgotten along with the send. One limiter per database: while it runs, its memory is the
 * authority and the rows are only what the next start resumes from.
 */
import type { Db } from '../db/open';
import { NotInTransactionError, type Tx } from '../db/tx';
import type { Clock } from '../ports/clock';
import { type LayerLimit, type LayerName, type LimiterConfig, layerLimitSchema, LimiterConfigError, parseLimiterConfig, type Rule, rulesOf } from './rules';

export interface LimiterKeys {
  account: string;
  operator: string;
}

/** The rule states a grant set, to be written with the send it allows. */
export interface Grant {
  readonly states: ReadonlyArray<{ readonly rule: string; readonly layer: LayerName; readonly key: string; readonly tat: number }>;
  readonly virtualMs: number;
  readonly wallMs: number;
}

export type Decision =
  /** `msBeforeNext`: how long until the same keys could send again, if nothing else sends. */
  | { allowed: true; msBeforeNext: number; layer: null; grant: Grant }
  /** `layer`: the layer that makes the caller wait longest; `msBeforeNext` is that wait, exactly. */
  | { allowed: false; msBeforeNext: number; layer: LayerName; grant?: undefined };

/** setTimeout/clearTimeout, injectable so a test drives `acquire` without waiting. */
export interface LimiterTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: LimiterTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class LimiterKeyError extends Error {
  constructor(what: string) {
    super(`Rate limiter keys must be non-empty strings: ${what}`);
    this.name = 'LimiterKeyError';
  }
}

interface Slot {
  readonly rule: Rule;
  readonly key: string;
  /** Index into `tats`; resolving it once per (layer, key) keeps the decision path allocation-light. */
  readonly mapKey: string;
  readonly tauMs: number;
}

const GLOBAL_KEY = '*';

export class RateLimiter {
  private readonly tats = new Map<string, number>();
  private readonly slots = new Map<string, Slot[]>();
  private readonly overrides = new Map<string, LayerLimit>();
  private config: LimiterConfig;
  private readonly offset: number;
  private readonly upsertState;
  private readonly upsertClock;

  constructor(
    db: Db,
    private readonly clock: Clock,
    config: unknown,
    private readonly timers: LimiterTimers = realTimers,
  ) {
    this.config = parseLimiterConfig(config);
    for (const row of db.prepare('SELECT rule, key, tat FROM limiter_state').all() as Array<{ rule: string; key: string; tat: number }>) {
      this.tats.set(`${row.rule}\0${row.key}`, row.tat);
    }
    const saved = db.prepare('SELECT virtual_ms, wall_ms FROM limiter_clock WHERE id = 1').get() as { virtual_ms: number; wall_ms: number } | undefined;
    const resumeAt = saved ? saved.virtual_ms + Math.max(0, clock.now() - saved.wall_ms) : 0;
    this.offset = resumeAt - clock.monotonic();
    this.upsertState = db.prepare<[string, string, number]>('INSERT INTO limiter_state (rule, key, tat) VALUES (?, ?, ?) ON CONFLICT (rule, key) DO UPDATE SET tat = max(tat, excluded.tat)');
    this.upsertClock = db.prepare<[number, number]>('INSERT INTO limiter_clock (id, virtual_ms, wall_ms) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET virtual_ms = excluded.virtual_ms, wall_ms = excluded.wall_ms');
  }

  /** Now on the limiter's timeline (ms). */
  virtualNow(): number {
    return this.clock.monotonic() + this.offset;
  }

  /** Replaces a layer's default limits; the state already spent carries over. */
  configure(config: unknown): void {
    this.config = parseLimiterConfig(config);
    this.slots.clear();
  }

  /** One key's own limits (an account's plan), or null to fall back to the layer's. */
  setLimit(layer: LayerName, key: string, limit: unknown): void {
    if (limit === null) this.overrides.delete(`${layer}\0${key}`);
    else {
      const parsed = layerLimitSchema.safeParse(limit);
      if (!parsed.success) throw new LimiterConfigError(parsed.error.issues.map((i) => `${layer}.${i.path.join('.')}: ${i.message}`));
      this.overrides.set(`${layer}\0${key}`, parsed.data);
    }
    this.slots.delete(`${layer}\0${key}`);
  }

  /** The decision for one send now; consumes only when every layer allows. */
  tryAcquire(keys: LimiterKeys): Decision {
    const all = this.slotsFor(keys);
    const now = this.virtualNow();
    const refused = this.longestWait(all, now);
    if (refused.layer !== null) return { allowed: false, msBeforeNext: refused.msBeforeNext, layer: refused.layer };
    const states: Array<{ rule: string; layer: LayerName; key: string; tat: number }> = [];
    let next = 0;
    for (const slots of all) {
      for (const s of slots) {
        const tat = this.tats.get(s.mapKey);
        const newTat = (tat === undefined || tat < now ? now : tat) + s.rule.intervalMs;
        this.tats.set(s.mapKey, newTat);
        states.push({ rule: s.rule.id, layer: s.rule.layer, key: s.key, tat: newTat });
        // The next send passes this rule once max(TAT, t) − t ≤ τ, i.e. at t = newTat − τ.
        const w = newTat - s.tauMs - now;
        if (w > next) next = w;
      }
    }
    return { allowed: true, msBeforeNext: next, layer: null, grant: { states, virtualMs: now, wallMs: this.clock.now() } };
  }

  /** What `tryAcquire` would answer, without consuming. */
  peek(keys: LimiterKeys): { msBeforeNext: number; layer: LayerName | null } {
    return this.longestWait(this.slotsFor(keys), this.virtualNow());
  }

  /** The longest any rule makes these slots wait at `now`, and its layer (null: none waits). */
  private longestWait(all: readonly Slot[][], now: number): { msBeforeNext: number; layer: LayerName | null } {
    let wait = 0;
    let layer: LayerName | null = null;
    for (const slots of all) {
      for (const s of slots) {
        const tat = this.tats.get(s.mapKey);
        const w = (tat === undefined || tat < now ? now : tat) - now - s.tauMs;
        if (w > wait) {
          wait = w;
          layer = s.rule.layer;
        }
      }
    }
    return { msBeforeNext: wait, layer };
  }

  /** Waits until every layer allows, then grants; rejects with the signal's reason if aborted first. */
  async acquire(keys: LimiterKeys, signal?: AbortSignal): Promise<Grant> {
    for (;;) {
      signal?.throwIfAborted();
      const d = this.tryAcquire(keys);
      if (d.allowed) return d.grant;
      await this.wait(Math.ceil(d.msBeforeNext), signal);
    }
  }

  /**
   * The grant's send was answered now: its account-layer rules are spaced from now instead of
   * from the grant (see Arrivals above). Only the account layer, because the platform judges the
   * pace per account; the shared layers are our own budgets and stay as granted. A TAT only
   * moves forward (max), so a later grant on the same key is never undone.
   *
   * Memory only, never persisted: a reply is seen before the process dies, and the next start's
   * first grant comes after the restart, which takes longer than any account interval; what is
   * persisted is the grant's own state, so the budget on file is never looser than the limits.
   */
  reanchor(grant: Grant): void {
    const shift = this.virtualNow() - grant.virtualMs;
    if (!(shift > 0)) return;
    for (const s of grant.states) {
      if (s.layer !== 'account') continue;
      const mapKey = `${s.rule}\0${s.key}`;
      const tat = this.tats.get(mapKey);
      const moved = s.tat + shift;
      if (tat === undefined || tat < moved) this.tats.set(mapKey, moved);
    }
  }

  /** Writes a grant's state in the caller's transaction, the one that records the send. */
  persist(tx: Tx, grant: Grant): void {
    if (!tx.inTransaction) throw new NotInTransactionError('RateLimiter.persist');
    for (const s of grant.states) this.upsertState.run(s.rule, s.key, s.tat);
    this.upsertClock.run(grant.virtualMs, grant.wallMs);
  }

  private wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.timers.clearTimeout(handle);
        reject(signal!.reason);
      };
      const handle = this.timers.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private slotsFor(keys: LimiterKeys): Slot[][] {
    if (typeof keys?.account !== 'string' || keys.account === '') throw new LimiterKeyError('account');
    if (typeof keys.operator !== 'string' || keys.operator === '') throw new LimiterKeyError('operator');
    return [this.layerSlots('account', keys.account), this.layerSlots('operator', keys.operator), this.layerSlots('global', GLOBAL_KEY)];
  }

  private layerSlots(layer: LayerName, key: string): Slot[] {
    const cacheKey = `${layer}\0${key}`;
    let slots = this.slots.get(cacheKey);
    if (!slots) {
      const limit = this.overrides.get(cacheKey) ?? this.config[layer];
      slots = rulesOf(layer, limit).map((rule) => ({ rule, key, mapKey: `${rule.id}\0${key}`, tauMs: (rule.burst - 1) * rule.intervalMs }));
      this.slots.set(cacheKey, slots);
    }
    return slots;
  }
}
