/**
 * The SQL of the send queue: rows in, rows out, one statement per transition. Every transition
 * names the state it leaves (`WHERE state = …`), so a late outcome can never overwrite a send the
 * operator cancelled or resolved meanwhile; the caller learns it from the null it gets back.
 */
import type { z } from 'zod';
import type { Send, SendReason, SendScope, SendState, sendRequestSchema } from '../../../shared/sending';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/open';
import type { Lane } from './lanes';

export interface SendRow {
  seq: number;
  id: string;
  idempotency_key: string;
  client_ref: string;
  job_id: string;
  account_id: string;
  chat_id: string;
  text: string;
  price_micros: number | null;
  media_ids: string;
  state: SendState;
  reason: SendReason | null;
  attempts: number;
  attempt_base: number;
  via: 'api' | 'export' | null;
  not_before: number | null;
  remote_id: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

export function toSend(row: SendRow): Send {
  return {
    id: row.id,
    jobId: row.job_id,
    accountId: row.account_id,
    chatId: row.chat_id,
    text: row.text,
    priceMicros: row.price_micros,
    mediaIds: JSON.parse(row.media_ids) as string[],
    state: row.state,
    reason: row.reason,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    notBefore: row.not_before,
    remoteId: row.remote_id,
  };
}

/** A fresh send: its id is also its client reference, the one the platform is asked about after a crash. */
export function queuedRow(r: z.output<typeof sendRequestSchema>, id: string, now: number): Omit<SendRow, 'seq'> {
  return {
    id,
    idempotency_key: r.idempotencyKey ?? id,
    client_ref: id,
    job_id: r.jobId,
    account_id: r.accountId,
    chat_id: r.chatId,
    text: r.text,
    price_micros: r.priceMicros ?? null,
    media_ids: JSON.stringify(r.mediaIds ?? []),
    state: 'queued',
    reason: null,
    attempts: 0,
    attempt_base: 0,
    via: null,
    not_before: null,
    remote_id: null,
    created_at: now,
    updated_at: now,
    sent_at: null,
  };
}

const NOT_PAUSED_JOB = `job_id NOT IN (SELECT key FROM send_pauses WHERE scope = 'job')`;
const DUE = `(not_before IS NULL OR not_before <= @now)`;

const scopeWhere = (scope: SendScope) => ('accountId' in scope ? { sql: 'account_id = @key', key: scope.accountId } : { sql: 'job_id = @key', key: scope.jobId });

export class SendStore {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  /** Prepared once per text: the scheduler runs the same few statements for every send. */
  private q<P extends unknown[] | object = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as unknown as Statement<P, R>;
  }

  insert(row: Omit<SendRow, 'seq'>): void {
    this.q(
        `INSERT INTO sends (id, idempotency_key, client_ref, job_id, account_id, chat_id, text, price_micros, media_ids, state, reason, attempts,
           attempt_base, via, not_before, remote_id, created_at, updated_at, sent_at)
         VALUES (@id, @idempotency_key, @client_ref, @job_id, @account_id, @chat_id, @text, @price_micros, @media_ids, @state, @reason, @attempts,
           @attempt_base, @via, @not_before, @remote_id, @created_at, @updated_at, @sent_at)`,
      )
      .run(row);
  }

  byId(id: string): SendRow | null {
    return this.q<[string], SendRow>('SELECT * FROM sends WHERE id = ?').get(id) ?? null;
  }

  byKey(key: string): SendRow | null {
    return this.q<[string], SendRow>('SELECT * FROM sends WHERE idempotency_key = ?').get(key) ?? null;
  }

  /**
   * The account's next send: round-robin over its jobs that have a due send (the first job after
   * `lastJob` in id order, wrapping), FIFO within the job.
   */
  pick(accountId: string, lastJob: string | null, now: number): SendRow | null {
    const jobs = `SELECT job_id FROM sends WHERE account_id = @accountId AND state = 'queued' AND ${DUE} AND ${NOT_PAUSED_JOB}`;
    const after = lastJob === null ? undefined : this.q(`${jobs} AND job_id > @lastJob ORDER BY job_id LIMIT 1`).pluck().get({ accountId, now, lastJob });
    const job = (after ?? this.q(`${jobs} ORDER BY job_id LIMIT 1`).pluck().get({ accountId, now })) as string | undefined;
    if (job === undefined) return null;
    return (
      this.q<{ accountId: string; job: string; now: number }, SendRow>(
          `SELECT * FROM sends WHERE account_id = @accountId AND state = 'queued' AND job_id = @job AND ${DUE} ORDER BY seq LIMIT 1`,
        )
        .get({ accountId, job, now }) ?? null
    );
  }

  /** When the account's earliest backed-off send becomes due, if any waits. */
  nextDue(accountId: string, now: number): number | null {
    const at = this.q(`SELECT min(not_before) FROM sends WHERE account_id = @accountId AND state = 'queued' AND not_before > @now AND ${NOT_PAUSED_JOB}`)
      .pluck()
      .get({ accountId, now }) as number | null;
    return at ?? null;
  }

  /** Queued sends not held by a job pause, per account: the work the scheduler still owes. */
  pendingByAccount(): Map<string, number> {
    const rows = this.q<[], { account_id: string; n: number }>(`SELECT account_id, count(*) AS n FROM sends WHERE state = 'queued' AND ${NOT_PAUSED_JOB} GROUP BY account_id`)
      .all();
    return new Map(rows.map((r) => [r.account_id, r.n]));
  }

  /** queued → sending, one attempt more; null when the row was no longer queued. */
  markSending(id: string, via: 'api' | 'export', now: number): SendRow | null {
    return this.transition(`state = 'sending', attempts = attempts + 1, via = @via, updated_at = @now`, `id = @id AND state = 'queued'`, { id, via, now })[0] ?? null;
  }

  markSent(id: string, from: SendState, remoteId: string | null, now: number): SendRow | null {
    return this.transition(`state = 'sent', reason = NULL, not_before = NULL, remote_id = @remoteId, sent_at = @now, updated_at = @now`, `id = @id AND state = @from`, { id, from, remoteId, now })[0] ?? null;
  }

  /** Back to the queue; `refund` gives the attempt back (the send certainly never left, through no fault of the platform's). */
  requeue(id: string, from: SendState, reason: SendReason | null, notBefore: number | null, refund: boolean, now: number): SendRow | null {
    return (
      this.transition(
        `state = 'queued', reason = @reason, not_before = @notBefore, attempts = attempts - @refund, updated_at = @now`,
        `id = @id AND state = @from`,
        { id, from, reason, notBefore, refund: refund ? 1 : 0, now },
      )[0] ?? null
    );
  }

  settle(id: string, from: SendState, state: 'failed' | 'unknown', reason: SendReason, now: number): SendRow | null {
    return this.transition(`state = @state, reason = @reason, not_before = NULL, updated_at = @now`, `id = @id AND state = @from`, { id, from, state, reason, now })[0] ?? null;
  }

  /** The operator's second chance: the attempt budget counts afresh from here. */
  reopen(id: string, from: 'failed' | 'unknown', clientRef: string | null, now: number): SendRow | null {
    return (
      this.transition(
        `state = 'queued', reason = NULL, not_before = NULL, attempt_base = attempts, client_ref = coalesce(@clientRef, client_ref), updated_at = @now`,
        `id = @id AND state = @from`,
        { id, from, clientRef, now },
      )[0] ?? null
    );
  }

  failQueued(accountId: string, reason: SendReason, now: number): SendRow[] {
    return this.transition(`state = 'failed', reason = @reason, not_before = NULL, updated_at = @now`, `account_id = @accountId AND state = 'queued'`, { accountId, reason, now });
  }

  cancel(scope: SendScope, now: number): SendRow[] {
    const w = scopeWhere(scope);
    return this.transition(`state = 'cancelled', reason = 'cancelled', not_before = NULL, updated_at = @now`, `${w.sql} AND state = 'queued'`, { key: w.key, now });
  }

  countQueued(scope: SendScope): number {
    const w = scopeWhere(scope);
    return this.q(`SELECT count(*) FROM sends WHERE ${w.sql} AND state = 'queued'`).pluck().get({ key: w.key }) as number;
  }

  setPause(scope: SendScope, paused: boolean, now: number): boolean {
    const [kind, key] = 'accountId' in scope ? ['account', scope.accountId] : ['job', scope.jobId];
    const r = paused
      ? this.q('INSERT INTO send_pauses (scope, key, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(kind, key, now)
      : this.q('DELETE FROM send_pauses WHERE scope = ? AND key = ?').run(kind, key);
    return r.changes > 0;
  }

  pausedAccounts(): Set<string> {
    return new Set(this.q<[], string>(`SELECT key FROM send_pauses WHERE scope = 'account'`).pluck().all());
  }

  /** Rows a crash may have left mid-send through an API: each is reconciled before anything else is sent. */
  inFlightApi(): SendRow[] {
    return this.q<[], SendRow>(`SELECT * FROM sends WHERE state = 'sending' AND (via IS NULL OR via = 'api') ORDER BY seq`).all();
  }

  takeForExport(accountId: string, limit: number, now: number): SendRow[] {
    return this.db.transaction(() => {
      const ids = this.q(`SELECT id FROM sends WHERE account_id = @accountId AND state = 'queued' AND ${NOT_PAUSED_JOB} ORDER BY seq LIMIT @limit`)
        .pluck()
        .all({ accountId, limit }) as string[];
      return ids.map((id) => this.markSending(id, 'export', now)).filter((r): r is SendRow => r !== null);
    })();
  }

  /** Only rows handed out by an export: a send in flight through an API is not the operator's to confirm. */
  confirmExported(ids: readonly string[], sent: boolean, now: number): SendRow[] {
    return this.db.transaction(() =>
      ids
        .filter((id) => this.byId(id)?.via === 'export')
        .map((id) => (sent ? this.markSent(id, 'sending', null, now) : this.settle(id, 'sending', 'failed', 'not_sent_by_operator', now)))
        .filter((r): r is SendRow => r !== null),
    )();
  }

  /**
   * What a lane knew before a restart, read back from the rows: the last error shown on the
   * Limits page, and a Retry-After still running (the platform's wait holds for the whole account).
   */
  remember(lane: Lane, now: number): Lane {
    const last = this.q<[string], { reason: SendReason; at: number }>(
      `SELECT reason, updated_at AS at FROM sends WHERE account_id = ? AND reason IS NOT NULL AND reason != 'cancelled' ORDER BY updated_at DESC LIMIT 1`,
    ).get(lane.account.id);
    const until = this.q(`SELECT max(not_before) FROM sends WHERE account_id = ? AND state = 'queued' AND reason = 'rate_limited' AND not_before > ?`)
      .pluck()
      .get(lane.account.id, now) as number | null;
    lane.lastError = last ?? null;
    lane.platformUntil = until ?? 0;
    return lane;
  }

  recordThrottle(accountId: string, source: 'platform' | 'operator' | 'global', at: number): void {
    this.q('INSERT INTO send_throttles (account_id, at, source) VALUES (?, ?, ?)').run(accountId, at, source);
  }

  /** Throttle marks older than the stats' longest window only take space. */
  pruneThrottles(before: number): void {
    this.q('DELETE FROM send_throttles WHERE at < ?').run(before);
  }

  list(q: { accountId?: string; jobId?: string; states?: readonly SendState[]; limit: number }): SendRow[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: q.limit };
    if (q.accountId) {
      where.push('account_id = @accountId');
      params.accountId = q.accountId;
    }
    if (q.jobId) {
      where.push('job_id = @jobId');
      params.jobId = q.jobId;
    }
    if (q.states?.length) {
      where.push(`state IN (${q.states.map((_, i) => `@s${i}`).join(', ')})`);
      q.states.forEach((s, i) => (params[`s${i}`] = s));
    }
    return this.q<Record<string, unknown>, SendRow>(`SELECT * FROM sends ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`).all(params);
  }

  counts(accountId: string, now: number): { minute: number; hour: number; day: number; recent: number[]; queued: number; sending: number; unknown: number; failed: number; throttled: number } {
    const sent = (since: number) => this.q('SELECT count(*) FROM sends WHERE account_id = ? AND sent_at > ?').pluck().get(accountId, since) as number;
    const inState = (state: SendState) => this.q('SELECT count(*) FROM sends WHERE account_id = ? AND state = ?').pluck().get(accountId, state) as number;
    const day = now - 86_400_000;
    return {
      minute: sent(now - 60_000),
      hour: sent(now - 3_600_000),
      day: sent(day),
      recent: this.q('SELECT sent_at FROM sends WHERE account_id = ? AND sent_at > ? ORDER BY sent_at').pluck().all(accountId, now - 60_000) as number[],
      queued: inState('queued'),
      sending: inState('sending'),
      unknown: inState('unknown'),
      failed: this.q(`SELECT count(*) FROM sends WHERE account_id = ? AND state = 'failed' AND updated_at > ?`).pluck().get(accountId, day) as number,
      throttled: this.q('SELECT count(*) FROM send_throttles WHERE account_id = ? AND at > ?').pluck().get(accountId, day) as number,
    };
  }

  private transition(set: string, where: string, params: Record<string, unknown>): SendRow[] {
    return this.q<Record<string, unknown>, SendRow>(`UPDATE sends SET ${set} WHERE ${where} RETURNING *`).all(params);
  }
}
