/**
 * Campaigns of one profile's database. Content changes only in draft or ready; every state
 * change goes through `transition`, which reads the one table in shared/campaigns.ts, so an
 * illegal move is refused the same way wherever it is attempted.
 */
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import {
  ARCHIVABLE_STATES,
  type Campaign,
  type campaignCreateSchema,
  type campaignListSchema,
  type CampaignPage,
  type CampaignState,
  type campaignUpdateSchema,
  canTransition,
  EDITABLE_STATES,
  readinessIssues,
} from '../../shared/campaigns';
import { checkText, DEFAULT_RESTRICTED_WORDS } from '../../shared/restricted';
import { AppError } from '../../shared/result';
import { renderTemplate } from '../../shared/template';
import type { Db } from '../db/open';
import { txOf } from '../db/tx';
import type { Outbox } from '../outbox';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { campaignEndMessage } from './ends';
import { type CampaignRow, fromRow, likePattern, registerFold, toColumns } from './rows';

/** States a campaign has started sending from: ending from one of them is worth telling the operator. */
const STARTED: readonly CampaignState[] = ['queued', 'sending', 'paused'];

type CreateInput = z.output<typeof campaignCreateSchema>;
type UpdateInput = z.output<typeof campaignUpdateSchema>;
type ListInput = z.output<typeof campaignListSchema>;

const COLUMNS = ['name', 'type', 'account_id', 'audience', 'template', 'price_micros', 'media_refs', 'personalization', 'variants', 'start_at'] as const;

/**
 * What the messages are made of (with the account's persona): a change leaves the messages
 * written so far stale. The audience is not here: fans who stay keep a message still right for
 * them, the ones who left are dropped and the new ones added at the next generate.
 */
export const MESSAGE_COLUMNS: readonly (typeof COLUMNS)[number][] = ['type', 'account_id', 'template', 'personalization', 'variants'];

export const stateError = (id: string, from: CampaignState, to: CampaignState | 'edit' | 'archive'): AppError =>
  new AppError('conflict', 'campaign_state', { id, from, to });

export class CampaignStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Where a campaign's end is announced (the profile's outbox); none in tests of the store alone. */
    private readonly ends?: Outbox,
  ) {
    registerFold(db);
  }

  create(input: CreateInput): Campaign {
    const id = uuidv7({ msecs: this.clock.now() });
    const now = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO campaigns (id, ${COLUMNS.join(', ')}, state, archived_at, created_at, updated_at, state_changed_at)
         VALUES (@id, ${COLUMNS.map((c) => `@${c}`).join(', ')}, 'draft', NULL, @now, @now, @now)`,
      )
      .run({ id, now, ...toColumns(input) });
    this.logger.info('campaigns: created', { id, type: input.type });
    return this.get(id);
  }

  /** Whether a send job is one of this profile's campaigns (quick sends share another job). */
  exists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(id) !== undefined;
  }

  get(id: string): Campaign {
    return fromRow(this.row(id));
  }

  /** Several campaigns in one query; unknown ids are left out. */
  getMany(ids: readonly string[]): Campaign[] {
    return this.db.prepare<[string], CampaignRow>('SELECT * FROM campaigns WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)).map(fromRow);
  }

  /**
   * Autosave: the fields given replace the stored ones; the rest stay. A ready campaign goes
   * back to draft, since what was checked is no longer what will go.
   */
  update(input: UpdateInput): Campaign {
    return this.updateWith(input).campaign;
  }

  /** `update`, also saying whether what the messages are made of changed (their text is then stale). */
  updateWith(input: UpdateInput): { campaign: Campaign; stale: boolean } {
    return this.db.transaction(() => {
      const before = this.row(input.id);
      if (!EDITABLE_STATES.includes(before.state)) throw stateError(input.id, before.state, 'edit');
      const given = toColumns(input);
      const sets = COLUMNS.filter((c) => given[c] !== undefined);
      const now = this.clock.now();
      const backToDraft = before.state === 'ready' && sets.length > 0;
      this.db
        .prepare(
          `UPDATE campaigns SET ${[...sets.map((c) => `${c} = @${c}`), 'updated_at = @now', ...(backToDraft ? ["state = 'draft'", 'state_changed_at = @now'] : [])].join(', ')}
           WHERE id = @id`,
        )
        .run({ ...Object.fromEntries(sets.map((c) => [c, given[c]])), id: input.id, now });
      const stale = MESSAGE_COLUMNS.some((c) => given[c] !== undefined && given[c] !== before[c]);
      return { campaign: this.get(input.id), stale };
    })();
  }

  /**
   * The one way a state changes. `ready` also requires a complete campaign whose account
   * exists; what is missing comes back as field issues.
   */
  transition(id: string, to: CampaignState): Campaign {
    return this.db.transaction(() => {
      const row = this.row(id);
      if (!canTransition(row.state, to)) throw stateError(id, row.state, to);
      if (to === 'ready') this.requireComplete(fromRow(row));
      const now = this.clock.now();
      this.db.prepare('UPDATE campaigns SET state = ?, state_changed_at = ?, updated_at = ? WHERE id = ?').run(to, now, now, id);
      this.logger.info('campaigns: state', { id, from: row.state, to });
      if (this.ends && (to === 'done' || (to === 'cancelled' && STARTED.includes(row.state)))) this.announceEnd(id, row.name, to, now);
      return this.get(id);
    })();
  }

  private announceEnd(id: string, name: string, outcome: 'done' | 'cancelled', now: number): void {
    const counts = this.db
      .prepare<[string], { sent: number; failed: number }>(
        "SELECT COALESCE(SUM(status = 'sent'), 0) AS sent, COALESCE(SUM(status = 'failed'), 0) AS failed FROM campaign_recipients WHERE campaign_id = ?",
      )
      .get(id)!;
    this.ends!.enqueue(txOf(this.db, 'campaign end'), campaignEndMessage({ id, name, outcome, sent: counts.sent, failed: counts.failed, endedAt: now }));
  }

  /** Draft and ready campaigns of an account: the ones whose messages its persona shapes. */
  editableOf(accountId: string): string[] {
    return this.db.prepare<[string], string>("SELECT id FROM campaigns WHERE account_id = ? AND state IN ('draft', 'ready')").pluck().all(accountId);
  }

  /** A new draft with the same content: no recipients, no state, no archive flag. */
  duplicate(id: string, name?: string): Campaign {
    const source = this.get(id);
    return this.create({
      name: name ?? source.name,
      type: source.type,
      accountId: source.accountId,
      audience: source.audience,
      template: source.template,
      priceMicros: source.priceMicros,
      mediaRefs: source.mediaRefs,
      personalization: source.personalization,
      variants: source.variants,
      startAt: source.startAt,
    });
  }

  /** Hidden from the working list (or back). A campaign on its way out stays in view. */
  archive(id: string, archived: boolean): Campaign {
    return this.db.transaction(() => {
      const row = this.row(id);
      if (archived && !ARCHIVABLE_STATES.includes(row.state)) throw stateError(id, row.state, 'archive');
      if (archived !== (row.archived_at !== null)) {
        const now = this.clock.now();
        this.db.prepare('UPDATE campaigns SET archived_at = ?, updated_at = ? WHERE id = ?').run(archived ? now : null, now, id);
      }
      return this.get(id);
    })();
  }

  /**
   * Newest first. Pages by insertion order: autosave moves `updated_at` but never a
   * campaign's place, so paging while the operator types neither skips nor repeats one.
   * Search is a folded substring match on name and template: an agency holds hundreds of
   * campaigns, not millions, and operators expect "sum" to find "Summer" and "ete" "Été".
   */
  list(query: ListInput): CampaignPage {
    const where = [query.archived ? 'archived_at IS NOT NULL' : 'archived_at IS NULL'];
    const params: unknown[] = [];
    if (query.states && query.states.length > 0) {
      where.push(`state IN (${query.states.map(() => '?').join(', ')})`);
      params.push(...query.states);
    }
    if (query.search) {
      where.push("(campaign_fold(name) LIKE ? ESCAPE '\\' OR campaign_fold(template) LIKE ? ESCAPE '\\')");
      const pattern = likePattern(query.search);
      params.push(pattern, pattern);
    }
    if (query.cursor) {
      // A cursor whose campaign is gone (deleted with its profile's data) starts over rather than failing.
      where.push('seq < coalesce((SELECT seq FROM campaigns WHERE id = ?), 9223372036854775807)');
      params.push(query.cursor);
    }
    const rows = this.db
      .prepare<unknown[], CampaignRow>(`SELECT * FROM campaigns WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`)
      .all(...params, query.limit + 1);
    const more = rows.length > query.limit;
    const items = rows.slice(0, query.limit).map(fromRow);
    return { items, nextCursor: more ? items[items.length - 1]!.id : null };
  }

  private requireComplete(c: Campaign): void {
    const issues = readinessIssues(c, this.clock.now());
    if (c.accountId !== null && !this.db.prepare('SELECT 1 FROM accounts WHERE id = ?').get(c.accountId)) {
      issues.push({ path: ['accountId'], code: 'custom', params: { rule: 'account_missing' } });
    }
    // The template's own words (text and fallbacks) are checked now; fans' names and AI text at generation.
    const words = [...DEFAULT_RESTRICTED_WORDS, ...this.db.prepare<[], string>('SELECT word FROM restricted_words').pluck().all()];
    const check = checkText(renderTemplate(c.template, {}), words);
    if (!check.ok) issues.push({ path: ['template'], code: 'custom', params: { rule: 'restricted_word', word: check.word } });
    if (issues.length > 0) throw new AppError('invalid_input', 'campaign_incomplete', { id: c.id }, issues);
  }

  private row(id: string): CampaignRow {
    const row = this.db.prepare<[string], CampaignRow>('SELECT * FROM campaigns WHERE id = ?').get(id);
    if (!row) throw new AppError('not_found', 'campaign_not_found', { id });
    return row;
  }
}
