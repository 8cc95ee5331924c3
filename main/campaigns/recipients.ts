/**
 * One row per (campaign, fan): what the per-recipient table and `campaigns.status` read. The
 * verbs follow a message's life — added, generated or blocked, queued with its send id, then
 * settled from the send queue by that id — and each only moves rows where that step makes
 * sense, so a late generation result can never overwrite a message already handed to the queue.
 */
import type { MessageSource, Recipient, RecipientCounts, RecipientPage, RecipientRows, RecipientStatus } from '../../shared/campaigns';
import { RECIPIENT_STATUSES } from '../../shared/campaigns';
import type { Db } from '../db/open';
import { idToDb } from '../ledger/ids';
import type { Clock } from '../ports/clock';

interface Row {
  fan_id: string;
  status: RecipientStatus;
  reason: string | null;
  text: string | null;
  source: MessageSource | null;
  variant: number | null;
  send_id: string | null;
  updated_at: number;
}

const fromRow = (r: Row): Recipient => ({
  fanId: r.fan_id,
  status: r.status,
  reason: r.reason,
  text: r.text,
  source: r.source,
  variant: r.variant,
  sendId: r.send_id,
  updatedAt: r.updated_at,
});

/** Not yet handed to the send queue: the text may still be (re)written. */
const BEFORE_QUEUE = "status IN ('pending', 'generated', 'blocked')";

export interface GeneratedMessage {
  fanId: string;
  text: string;
  source: MessageSource;
  variant?: number | null;
  /** Template text standing in for AI: why (ai_unreachable, ai_budget, …), so the campaign can say so. */
  reason?: string | null;
}

export class Recipients {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Adds fans as pending; a fan already there is left as it is (re-picking an audience is idempotent). */
  add(campaignId: string, fanIds: readonly string[]): number {
    const insert = this.db.prepare("INSERT INTO campaign_recipients (campaign_id, fan_id, status, updated_at) VALUES (?, ?, 'pending', ?) ON CONFLICT DO NOTHING");
    const now = this.clock.now();
    return this.db.transaction(() => fanIds.reduce((n, fan) => n + insert.run(campaignId, fan, now).changes, 0))();
  }

  generated(campaignId: string, messages: readonly GeneratedMessage[]): number {
    const update = this.db.prepare(
      `UPDATE campaign_recipients SET status = 'generated', reason = ?, text = ?, source = ?, variant = ?, updated_at = ?
       WHERE campaign_id = ? AND fan_id = ? AND ${BEFORE_QUEUE}`,
    );
    const now = this.clock.now();
    return this.db.transaction(() => messages.reduce((n, m) => n + update.run(m.reason ?? null, m.text, m.source, m.variant ?? null, now, campaignId, m.fanId).changes, 0))();
  }

  /** The restricted-words guard refused this fan's text: kept, with the word, for the operator to fix. */
  blocked(campaignId: string, fanId: string, word: string, text: string | null, written?: { source: MessageSource; variant?: number | null }): boolean {
    return (
      this.db
        .prepare(
          `UPDATE campaign_recipients SET status = 'blocked', reason = ?, text = coalesce(?, text), source = coalesce(?, source), variant = coalesce(?, variant), updated_at = ?
           WHERE campaign_id = ? AND fan_id = ? AND ${BEFORE_QUEUE}`,
        )
        .run(word, text, written?.source ?? null, written?.variant ?? null, this.clock.now(), campaignId, fanId).changes === 1
    );
  }

  /** Handed to the send queue: only a generated row, once (the send id is unique). */
  queued(campaignId: string, fanId: string, sendId: string): boolean {
    return (
      this.db
        .prepare("UPDATE campaign_recipients SET status = 'queued', send_id = ?, updated_at = ? WHERE campaign_id = ? AND fan_id = ? AND status = 'generated'")
        .run(sendId, this.clock.now(), campaignId, fanId).changes === 1
    );
  }

  /** The send queue moved a send: the recipient holding it follows (a retried send goes back to queued). */
  fromSend(sendId: string, status: Extract<RecipientStatus, 'queued' | 'sent' | 'failed' | 'unknown'>, reason: string | null = null): boolean {
    return (
      this.db
        .prepare("UPDATE campaign_recipients SET status = ?, reason = ?, updated_at = ? WHERE send_id = ? AND status <> 'sent'")
        .run(status, status === 'failed' ? reason : null, this.clock.now(), sendId).changes === 1
    );
  }

  /**
   * Drops the not-yet-queued recipients who left the audience (it was edited since the last
   * run), so approve never sends to a fan the campaign no longer targets. Queued ones stay: the
   * queue holds them.
   */
  keepOnly(campaignId: string, fanIds: ReadonlySet<string>): number {
    const before = this.db.prepare<[string], string>(`SELECT fan_id FROM campaign_recipients WHERE campaign_id = ? AND ${BEFORE_QUEUE}`).pluck().all(campaignId);
    const del = this.db.prepare('DELETE FROM campaign_recipients WHERE campaign_id = ? AND fan_id = ?');
    return this.db.transaction(() => before.filter((f) => !fanIds.has(f)).reduce((n, f) => n + del.run(campaignId, f).changes, 0))();
  }

  /**
   * The campaign's content changed (template, persona, type, mode, variants, account): every
   * message not yet handed to the queue was written from the old one, so it goes back to pending
   * for the next generate to rewrite. Queued and later rows belong to the queue and stay.
   */
  resetStale(campaignId: string): number {
    return this.db
      .prepare("UPDATE campaign_recipients SET status = 'pending', reason = NULL, text = NULL, source = NULL, variant = NULL, updated_at = ? WHERE campaign_id = ? AND status IN ('generated', 'blocked')")
      .run(this.clock.now(), campaignId).changes;
  }

  /** Fans still waiting for a message. */
  pendingFanIds(campaignId: string): string[] {
    return this.db.prepare<[string], string>("SELECT fan_id FROM campaign_recipients WHERE campaign_id = ? AND status = 'pending' ORDER BY fan_id").pluck().all(campaignId);
  }

  /** Ready campaigns whose generation was cut short (a restart): fans still wait for a message. */
  readyWithPending(): string[] {
    return this.db
      .prepare<[], string>(
        "SELECT c.id FROM campaigns AS c WHERE c.state = 'ready' AND EXISTS (SELECT 1 FROM campaign_recipients AS r WHERE r.campaign_id = c.id AND r.status = 'pending') ORDER BY c.seq",
      )
      .pluck()
      .all();
  }

  /** Generated messages waiting for approval, by fan id. */
  generatedTexts(campaignId: string): Array<{ fanId: string; text: string }> {
    return this.db
      .prepare<[string], { fanId: string; text: string }>("SELECT fan_id AS fanId, text FROM campaign_recipients WHERE campaign_id = ? AND status = 'generated' ORDER BY fan_id")
      .all(campaignId);
  }

  /**
   * Every handed-over recipient takes its send's state from the queue's own row (same database):
   * queued and sending read as queued; sent, failed (with its reason) and unknown as themselves,
   * and a retried or resolved send moves its recipient again. Sent is final. A cancelled send
   * leaves its recipient as it was: the campaign is cancelled with it.
   */
  followSends(campaignId: string): number {
    return this.db
      .prepare(
        `UPDATE campaign_recipients AS r
         SET status = CASE s.state WHEN 'sending' THEN 'queued' ELSE s.state END,
             reason = CASE WHEN s.state = 'failed' THEN s.reason WHEN r.status = 'failed' THEN NULL ELSE r.reason END,
             updated_at = ?
         FROM sends AS s
         WHERE r.campaign_id = ? AND r.status IN ('queued', 'failed', 'unknown') AND s.id = r.send_id
           AND s.state IN ('queued', 'sending', 'sent', 'failed', 'unknown') AND (CASE s.state WHEN 'sending' THEN 'queued' ELSE s.state END) <> r.status`,
      )
      .run(this.clock.now(), campaignId).changes;
  }

  /** Messages the template wrote: in an AI mode, the fans AI could not serve (the row's source outlives its send). */
  fromTemplate(campaignId: string): number {
    return this.db.prepare<[string], number>("SELECT count(*) FROM campaign_recipients WHERE campaign_id = ? AND source = 'template'").pluck().get(campaignId) ?? 0;
  }

  counts(campaignId: string): RecipientCounts {
    const out = Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as RecipientCounts;
    const rows = this.db.prepare<[string], { status: RecipientStatus; n: number }>('SELECT status, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY status').all(campaignId);
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /** An AI request the campaign made for one variant; its cost is read from the ledger by its id. */
  requestFor(campaignId: string, requestId: string, variant: number): void {
    this.db.prepare('INSERT INTO campaign_ai_requests (request_id, campaign_id, variant) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(idToDb(requestId), campaignId, variant);
  }

  /** A/B: counts per recipient status for each variant that has a message (variant 0 = A), and what its AI requests cost. */
  variantCounts(campaignId: string): Array<{ variant: number; counts: RecipientCounts; costMicros: number }> {
    const rows = this.db
      .prepare<[string], { variant: number; status: RecipientStatus; n: number }>(
        'SELECT variant, status, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND variant IS NOT NULL GROUP BY variant, status ORDER BY variant',
      )
      .all(campaignId);
    const byVariant = new Map<number, RecipientCounts>();
    for (const r of rows) {
      let counts = byVariant.get(r.variant);
      if (!counts) byVariant.set(r.variant, (counts = Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as RecipientCounts));
      counts[r.status] = r.n;
    }
    const costs = new Map(
      this.db
        .prepare<[string], { variant: number; micros: number }>(
          `SELECT q.variant, sum(a.cost_micros) AS micros FROM campaign_ai_requests AS q JOIN ai_costs AS a ON a.request_id = q.request_id
           WHERE q.campaign_id = ? GROUP BY q.variant`,
        )
        .all(campaignId)
        .map((r) => [r.variant, r.micros]),
    );
    return [...byVariant].map(([variant, counts]) => ({ variant, counts, costMicros: costs.get(variant) ?? 0 }));
  }

  /**
   * Why the template stood in for AI, read back from the rows (so it outlives the run and a
   * restart): the most frequent `ai_*` reason among template-written messages, null when none.
   */
  fallbackReason(campaignId: string): string | null {
    return (
      this.db
        .prepare<[string], string>(
          "SELECT substr(reason, 4) FROM campaign_recipients WHERE campaign_id = ? AND source = 'template' AND reason LIKE 'ai\\_%' ESCAPE '\\' GROUP BY reason ORDER BY count(*) DESC, reason LIMIT 1",
        )
        .pluck()
        .get(campaignId) ?? null
    );
  }

  /** Counts and template-written messages of several campaigns in one query (the list's rows). */
  countsMany(campaignIds: readonly string[]): Map<string, { counts: RecipientCounts; fromTemplate: number }> {
    const rows = this.db
      .prepare<[string], { id: string; status: RecipientStatus; n: number; t: number }>(
        `SELECT campaign_id AS id, status, count(*) AS n, sum(source = 'template') AS t FROM campaign_recipients
         WHERE campaign_id IN (SELECT value FROM json_each(?)) GROUP BY campaign_id, status`,
      )
      .all(JSON.stringify(campaignIds));
    const out = new Map<string, { counts: RecipientCounts; fromTemplate: number }>();
    for (const r of rows) {
      let e = out.get(r.id);
      if (!e) out.set(r.id, (e = { counts: Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as RecipientCounts, fromTemplate: 0 }));
      e.counts[r.status] = r.n;
      e.fromTemplate += r.t;
    }
    return out;
  }

  /** By fan id, paged by the last fan id seen, optionally only some statuses. */
  list(campaignId: string, query: { statuses?: readonly RecipientStatus[]; limit: number; cursor?: string }): RecipientPage {
    const where = ['campaign_id = ?'];
    const params: unknown[] = [campaignId];
    if (query.statuses && query.statuses.length > 0) {
      where.push(`status IN (${query.statuses.map(() => '?').join(', ')})`);
      params.push(...query.statuses);
    }
    if (query.cursor !== undefined) {
      where.push('fan_id > ?');
      params.push(query.cursor);
    }
    const rows = this.db.prepare<unknown[], Row>(`SELECT * FROM campaign_recipients WHERE ${where.join(' AND ')} ORDER BY fan_id LIMIT ?`).all(...params, query.limit + 1);
    const items = rows.slice(0, query.limit).map(fromRow);
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1]!.fanId : null };
  }

  /**
   * The table's rows by position. The page is cut from the primary key (or the status index when
   * filtered) before the fans are joined, so only `limit` rows are looked up in `fans`; OFFSET walks
   * the index keys only, which stays in single-digit milliseconds at 50,000 (see the contract test).
   */
  rows(campaignId: string, accountId: string | null, query: { statuses?: readonly RecipientStatus[]; offset: number; limit: number }): RecipientRows {
    const statuses = query.statuses && query.statuses.length > 0 ? [...new Set(query.statuses)] : null;
    const filter = statuses ? `AND status IN (${statuses.map(() => '?').join(', ')})` : '';
    const params: unknown[] = [campaignId, ...(statuses ?? [])];
    const total = this.db.prepare<unknown[], number>(`SELECT count(*) FROM campaign_recipients WHERE campaign_id = ? ${filter}`).pluck().get(...params) ?? 0;
    const rows = this.db
      .prepare<unknown[], Row & { fan_name: string | null; fan_display_name: string | null }>(
        `SELECT r.*, f.name AS fan_name, f.display_name AS fan_display_name
         FROM (SELECT * FROM campaign_recipients WHERE campaign_id = ? ${filter} ORDER BY fan_id LIMIT ? OFFSET ?) AS r
         LEFT JOIN fans AS f ON f.account_id = ? AND f.fan_id = r.fan_id
         ORDER BY r.fan_id`,
      )
      .all(...params, query.limit, query.offset, accountId);
    return { items: rows.map((r) => ({ ...fromRow(r), fanName: r.fan_name, fanDisplayName: r.fan_display_name })), offset: query.offset, total };
  }
}
