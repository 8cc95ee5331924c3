/**
 * Team budgets for AI spend, leased across seats (issue 12 §5). A team threshold with a hard stop
 * (refuse or downgrade) caps what ALL seats together spend in its scope and period; each seat
 * checks it before a request from memory, and asks DynamoDB only when its allowance runs short.
 *
 * Shared state. One item per threshold and period, `keys.spend(periodKey, thresholdId)` in
 * `{prefix}-cost-alerts`: `limitMicros`, `grants` (seat → micro-dollars granted to that seat this
 * period), `total` (= Σ grants), `version`, `seats` (seat → last seen). It is only ever written
 * by PutItem conditioned on the version read (`attribute_not_exists` for the first); a
 * ConditionalCheckFailed re-reads and retries with jittered backoff, so two seats leasing from
 * the same version never both win and nothing is granted twice. A new period is a new item:
 * grants reset by themselves. Grants only grow within a period.
 *
 * Leases. A seat's allowance is its grant. A request may go when this seat's own spend in the
 * threshold's scope this period (its local ledger, unsynced rows included) plus the request's
 * estimate fits in the allowance. When it does not, the seat leases: new grant =
 * max(grant, own spend) + max(this request's estimate, ⌈limit / 20⌉), capped by what the other
 * seats left (limit − their grants). The orchestrator then judges the request against a
 * threshold whose amount is the allowance, so refuse and downgrade work as for a local stop.
 *
 * Bound (tests/integration/aws/spend-budget.test.ts): Σ grants ≤ limit, and a seat's spend
 * exceeds its grant only by what its requests cost beyond their estimates (requests of one seat
 * in flight at once are each checked against the same allowance, so they may add their
 * estimates too: the bound is per request, not per seat). With costs equal to the estimates and
 * one request at a time per seat, the seats' spends sum to ≤ limit. Utilization: a seat refused
 * has just leased all that was left, so what stays unspent is < one request's estimate per seat.
 *
 * Offline (DynamoDB unreachable, or the team layer off while team thresholds are cached): the
 * allowance is own grant + ⌊(limit − total last seen) / n⌋, n = the seats last seen (≥ 1,
 * persisted locally with the last grant and total, so a restart offline stays conservative);
 * never seen this period ⇒ ⌊limit / n⌋. When every seat is cut off from the same last-seen
 * state, Σ (grantᵢ + ⌊(limit − total)/n⌋) ≤ total + (limit − total) = limit. A seat that still
 * reaches DynamoDB while another does not may lease what the offline one spends meanwhile: up to
 * (1 + 1/n) × the limit, as for the shared rate budget.
 *
 * Only the live profile's orchestrator is handed this: the Sandbox never reaches the team layer.
 * A DynamoDB error never fails a request: it falls back to the offline allowance.
 */
import { z } from 'zod';
import type { BudgetThreshold } from '../../shared/budgets';
import type { HardStopState } from '../budgets/budgets';
import { dayKey, monthDays, monthKey, ScopeSpend } from '../budgets/spend';
import type { RollupSource } from '../budgets/evaluator';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { SettingRow } from '../settings/row';
import type { TeamAwsUnavailable, TeamConnection } from './clients';
import type { HandlersFor } from '../ipc/registry';
import type { TeamSpendState, teamSpendMethods } from '../../shared/contract/team-spend';
import { keys } from './keys';
import { isConditionFailed } from './team-budgets';

export interface SpendBudgetDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  connect: () => Promise<TeamConnection | { unavailable: TeamAwsUnavailable }>;
  /** The team's thresholds as this seat last saw them (the local copy: known offline too). */
  thresholds: () => readonly BudgetThreshold[];
  /** The live ledger: its calendar and rollups give this seat's own spend. */
  ledger: RollupSource;
  /** Conditional-write attempts before giving up for this request (default 6). */
  maxAttempts?: number;
  /** How long an unreachable DynamoDB is left alone before it is asked again (default 5 s). */
  offlineRetryMs?: number;
  /** A seat counts among the threshold's seats while seen within this (default 24 h). */
  seenWindowMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** A lease was taken or the seat went offline: what Alerts → Team budgets shows moved. */
  onChanged?: (state: TeamSpendState) => void;
}

/** What Alerts → Team budgets shows beside a hard-stop threshold (the contract's SpendAllowanceView). */
export interface SpendAllowance {
  thresholdId: string;
  period: string;
  /** `shared`: this seat's grant, as last leased; `offline`: the team did not answer, grant + share; `idle`: nothing leased this period yet. */
  mode: 'shared' | 'offline' | 'idle';
  /** What this seat may spend this period (its grant, or offline its grant plus its share). */
  allowanceMicros: number;
  grantMicros: number;
  /** What the team has leased (last seen). */
  leasedMicros: number;
  limitMicros: number;
  spentMicros: number;
  seats: number;
}

const itemSchema = z.object({
  limitMicros: z.number().int().nonnegative(),
  grants: z.record(z.string(), z.number().int().nonnegative()),
  total: z.number().int().nonnegative(),
  version: z.number().int().positive(),
  seats: z.record(z.string(), z.number().finite()),
});
type Item = z.infer<typeof itemSchema>;

const seenSchema = z.object({ grant: z.number().int().nonnegative(), total: z.number().int().nonnegative(), seats: z.number().int().positive() });
type Seen = z.infer<typeof seenSchema>;
const rowSchema = z.object({ leases: z.record(z.string(), seenSchema), seats: z.record(z.string(), z.number().int().positive()) });

/** Local rows of the live file's `settings` table, like the rate budget's seats: no migration. */
const ROW_KEY = 'aws.spendLeases';
const CHUNK_DIVISOR = 20;

export class SharedSpendBudget {
  private readonly spend: ScopeSpend;
  private readonly row: SettingRow<z.infer<typeof rowSchema>>;
  private leases: Record<string, Seen>;
  private seatsById: Record<string, number>;
  private readonly unreached = new Set<string>();
  private readonly inflight = new Map<string, Promise<void>>();
  private offlineUntil = 0;
  private counts = { reads: 0, leases: 0, conflicts: 0 };

  constructor(private readonly deps: SpendBudgetDeps) {
    this.spend = new ScopeSpend(deps.db, () => deps.ledger.settle());
    this.row = new SettingRow(deps.db, ROW_KEY, rowSchema, deps.clock, () => deps.logger.warn('team spend: local lease copy no longer valid; offline shares start from none'));
    const saved = this.row.get();
    this.leases = saved?.leases ?? {};
    this.seatsById = saved?.seats ?? {};
  }

  /** DynamoDB reads, leases won and conditional writes lost, since start. */
  stats() {
    return { ...this.counts };
  }

  /** The team thresholds with a hard stop that bind a request of this campaign. Sync and local: the hot path. */
  binding(campaignId: string | undefined): BudgetThreshold[] {
    return this.deps.thresholds().filter((t) => t.hardStop !== 'none' && (t.scope !== 'campaign' || t.target === campaignId));
  }

  /**
   * The binding team thresholds as hard stops for this seat: amount = this seat's allowance,
   * spent = its own spend. Tops up each lease the estimate does not fit in first.
   */
  async stops(campaignId: string | undefined, estimateMicros: number): Promise<HardStopState[]> {
    const out: HardStopState[] = [];
    for (const t of this.binding(campaignId)) {
      const a = await this.ensure(t, estimateMicros);
      out.push({ threshold: { ...t, amountMicros: a.allowanceMicros }, spentMicros: a.spentMicros, team: true });
    }
    return out;
  }

  /** This seat's allowance for each team hard-stop threshold, from memory (no DynamoDB call). */
  allowances(): SpendAllowance[] {
    return this.deps.thresholds().filter((t) => t.hardStop !== 'none').map((t) => this.allowance(t));
  }

  private allowance(t: BudgetThreshold): SpendAllowance {
    const { period, spent } = this.period(t);
    const k = `${period}|${t.id}`;
    const seen = this.leases[k];
    const grant = seen?.grant ?? 0;
    const total = seen?.total ?? 0;
    const seats = Math.max(1, seen?.seats ?? this.seatsById[t.id] ?? 1);
    const base = { thresholdId: t.id, period, grantMicros: grant, leasedMicros: total, limitMicros: t.amountMicros, spentMicros: spent, seats };
    // A grant is this seat's for the whole period (grants never shrink): known, it is spendable, even after a restart.
    if (this.unreached.has(k)) return { ...base, mode: 'offline', allowanceMicros: grant + Math.floor(Math.max(0, t.amountMicros - total) / seats) };
    return { ...base, mode: seen ? 'shared' : 'idle', allowanceMicros: grant };
  }

  private period(t: BudgetThreshold): { period: string; spent: number } {
    const cal = this.deps.ledger.calendar;
    const now = this.deps.clock.now();
    if (t.period === 'day') {
      const day = cal.localDay(now);
      return { period: dayKey(day), spent: this.spend.sum(t, day, day + 1) };
    }
    const month = cal.localMonth(now);
    const [from, to] = monthDays(month);
    return { period: monthKey(month), spent: this.spend.sum(t, from, to) };
  }

  private async ensure(t: BudgetThreshold, estimateMicros: number): Promise<SpendAllowance> {
    const before = this.allowance(t);
    const need = before.spentMicros + estimateMicros;
    if (before.mode === 'shared' && before.allowanceMicros >= need) return before;
    const k = `${before.period}|${t.id}`;
    // DynamoDB failed a moment ago (for any threshold): not asked again yet, the offline share applies.
    if (this.offlineUntil > this.deps.clock.now()) {
      this.markUnreached(k);
      return this.allowance(t);
    }
    const running = this.inflight.get(k);
    if (running) {
      // One lease per threshold at a time: wait for it, then look again.
      await running;
      const after = this.allowance(t);
      if (after.mode !== 'shared' || after.allowanceMicros >= need || this.inflight.has(k)) return after;
    }
    const work = this.lease(t, before.period, before.spentMicros, estimateMicros).finally(() => this.inflight.delete(k));
    this.inflight.set(k, work);
    await work;
    return this.allowance(t);
  }

  private async lease(t: BudgetThreshold, period: string, spent: number, estimate: number): Promise<void> {
    const k = `${period}|${t.id}`;
    try {
      const conn = await this.deps.connect();
      if ('unavailable' in conn) return this.goOffline(k);
      await this.leaseOn(conn, t, period, spent, estimate);
    } catch (err) {
      this.deps.logger.warn('team spend: DynamoDB unreachable, offline share', { thresholdId: t.id, error: err instanceof Error ? err.name : 'unknown' });
      this.goOffline(k);
    }
  }

  private async leaseOn(conn: TeamConnection, t: BudgetThreshold, period: string, spent: number, estimate: number): Promise<void> {
    const [{ GetItemCommand, PutItemCommand }, { marshall, unmarshall }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('@aws-sdk/util-dynamodb')]);
    const Key = marshall(keys.spend(period, t.id));
    const k = `${period}|${t.id}`;
    const attempts = this.deps.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      this.counts.reads += 1;
      const got = await conn.dynamo.send(new GetItemCommand({ TableName: conn.names.alertsTable, Key, ConsistentRead: true }));
      const item: Item | null = got.Item ? itemSchema.parse(unmarshall(got.Item)) : null;
      const now = this.deps.clock.now();
      const window = this.deps.seenWindowMs ?? 86_400_000;
      const seats: Record<string, number> = {};
      for (const [seat, at] of Object.entries(item?.seats ?? {})) if (at >= now - window) seats[seat] = at;
      seats[conn.seatId] = now;
      const grants = item?.grants ?? {};
      const mine = grants[conn.seatId] ?? 0;
      const others = (item?.total ?? 0) - mine;
      // A few requests' worth at once, so the next ones stay local; all that is left when less is.
      const want = Math.max(mine, spent) + Math.max(estimate, Math.ceil(t.amountMicros / CHUNK_DIVISOR));
      // The limit is the team's current one: an edit mid-period applies at the next lease.
      const grant = Math.max(mine, Math.min(t.amountMicros - others, want));
      const seatCount = Object.keys(seats).length;
      if (grant === mine) {
        // Nothing left to lease: keep what was seen (the offline share starts from it), write nothing.
        this.remember(k, t.id, { grant: mine, total: item?.total ?? 0, seats: seatCount });
        this.offlineUntil = 0;
        return;
      }
      const next: Item = { limitMicros: t.amountMicros, grants: { ...grants, [conn.seatId]: grant }, total: others + grant, version: (item?.version ?? 0) + 1, seats };
      try {
        await conn.dynamo.send(
          new PutItemCommand({
            TableName: conn.names.alertsTable,
            Item: marshall({ ...keys.spend(period, t.id), ...next }),
            ConditionExpression: item ? 'version = :v' : 'attribute_not_exists(pk)',
            ExpressionAttributeValues: item ? marshall({ ':v': item.version }) : undefined,
          }),
        );
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
        this.counts.conflicts += 1;
        if (attempt >= attempts) {
          this.deps.logger.warn('team spend: lease contended, the request is judged on what this seat holds', { thresholdId: t.id, attempts: attempt });
          return;
        }
        // Full jitter over a doubling cap: two seats that collided rarely collide again.
        await (this.deps.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms))))((this.deps.random ?? Math.random)() * Math.min(1_000, 10 * 2 ** attempt));
        continue;
      }
      this.counts.leases += 1;
      this.remember(k, t.id, { grant, total: next.total, seats: seatCount });
      this.offlineUntil = 0;
      return;
    }
  }

  handlers(): HandlersFor<typeof teamSpendMethods> {
    return { 'teamSpend.get': () => ({ allowances: this.allowances() }) };
  }

  private changed(): void {
    this.deps.onChanged?.({ allowances: this.allowances() });
  }

  private goOffline(k: string): void {
    this.offlineUntil = this.deps.clock.now() + (this.deps.offlineRetryMs ?? 5_000);
    this.markUnreached(k);
  }

  private markUnreached(k: string): void {
    if (this.unreached.has(k)) return;
    this.unreached.add(k);
    this.changed();
  }

  private remember(k: string, thresholdId: string, seen: Seen): void {
    // Only the current periods are kept: an old period's leases can never bind again.
    const leases: Record<string, Seen> = {};
    for (const [key, value] of Object.entries(this.leases)) if (this.isCurrent(key)) leases[key] = value;
    leases[k] = seen;
    this.leases = leases;
    this.unreached.delete(k);
    this.seatsById = { ...this.seatsById, [thresholdId]: seen.seats };
    this.row.set({ leases: this.leases, seats: this.seatsById });
    this.changed();
  }

  private isCurrent(key: string): boolean {
    const cal = this.deps.ledger.calendar;
    const now = this.deps.clock.now();
    const period = key.slice(0, key.indexOf('|'));
    return period === dayKey(cal.localDay(now)) || period === monthKey(cal.localMonth(now));
  }
}
