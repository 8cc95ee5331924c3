/**
 * A campaign's sending, always through the send queue (never around it). Approve hands every
 * generated recipient to `SendQueue.enqueueMany` with the campaign as the job and
 * `<campaign>:<fan>` as the idempotency key: approving twice, or again after a crash between the
 * queue's commit and ours, finds the sends already there instead of queueing more. Pause, resume
 * and cancel act on the job. Recipients follow their sends by reading the queue's own rows (same
 * database), so a missed progress event or a restart never leaves them behind.
 */
import { AI_FALLBACK_REASONS, type AiFallbackReason, type Campaign, type CampaignStatus, type CampaignSummary, type RecipientCounts } from '../../shared/campaigns';
import { AppError } from '../../shared/result';
import type { Db } from '../db/open';
import type { SendQueue } from '../messaging/queue';
import type { Clock } from '../ports/clock';
import type { Recipients } from './recipients';
import type { CampaignRunner } from './runner';
import { stateError, type CampaignStore } from './store';

export interface SendingDeps {
  db: Db;
  clock: Clock;
  store: CampaignStore;
  recipients: Recipients;
  runner: CampaignRunner;
  queue: () => SendQueue;
}

const fallbackReason = (r: string | null): AiFallbackReason | null => AI_FALLBACK_REASONS.find((x) => x === r) ?? null;

const idempotencyKey = (campaignId: string, fanId: string) => `campaign:${campaignId}:${fanId}`;

export class CampaignSending {
  constructor(private readonly d: SendingDeps) {}

  /** ready → queued: every generated recipient becomes a send of the campaign's job. */
  approve(id: string): Campaign {
    const c = this.d.store.get(id);
    if (c.state !== 'ready') throw stateError(id, c.state, 'queued');
    if (this.d.runner.isRunning(id) || this.d.recipients.pendingFanIds(id).length > 0) throw new AppError('conflict', 'campaign_generating', { id });
    const rows = this.d.recipients.generatedTexts(id);
    const sends = this.d.queue().enqueueMany(
      rows.map((r) => ({
        accountId: c.accountId!,
        chatId: r.fanId,
        text: r.text,
        ...(c.type === 'ppv_offer' && c.priceMicros !== null ? { priceMicros: c.priceMicros, mediaIds: c.mediaRefs } : c.mediaRefs.length > 0 ? { mediaIds: c.mediaRefs } : {}),
        jobId: c.id,
        idempotencyKey: idempotencyKey(c.id, r.fanId),
      })),
    );
    this.d.db.transaction(() => {
      sends.forEach((s, i) => this.d.recipients.queued(id, rows[i]!.fanId, s.id));
      this.d.store.transition(id, 'queued');
    })();
    this.sync(id);
    return this.d.store.get(id);
  }

  pause(id: string): Campaign {
    const c = this.d.store.get(id);
    if (c.state !== 'queued' && c.state !== 'sending') throw stateError(id, c.state, 'paused');
    this.d.queue().pause({ jobId: id });
    return this.d.store.transition(id, 'paused');
  }

  /** paused → sending, or back to queued when nothing went out yet. */
  resume(id: string): Campaign {
    const c = this.d.store.get(id);
    if (c.state !== 'paused') throw stateError(id, c.state, 'sending');
    const counts = this.d.recipients.counts(id);
    this.d.queue().resume({ jobId: id });
    const next = this.d.store.transition(id, counts.sent + counts.failed + counts.unknown > 0 ? 'sending' : 'queued');
    return this.sync(id) ?? next;
  }

  /** Generation stops and every send not yet gone is cancelled; final. */
  async cancel(id: string): Promise<Campaign> {
    await this.d.runner.stop(id);
    const c = this.d.store.get(id);
    if (c.state === 'queued' || c.state === 'sending' || c.state === 'paused') this.d.queue().cancel({ jobId: id });
    return this.d.store.transition(id, 'cancelled');
  }

  /**
   * Recipients catch up with their sends; the campaign moves to sending at the first settled
   * send and to done when nothing is left to send. Returns the campaign when its state moved.
   */
  sync(id: string): Campaign | null {
    return this.d.db.transaction(() => {
      this.d.recipients.followSends(id);
      const c = this.d.store.get(id);
      if (c.state !== 'queued' && c.state !== 'sending') return null;
      const n = this.d.recipients.counts(id);
      const settled = n.sent + n.failed + n.unknown;
      const left = n.pending + n.generated + n.queued;
      let moved: Campaign | null = null;
      // queued → done is not a move of the table: a campaign that settles at once still passes through sending.
      if (c.state === 'queued' && (settled > 0 || left === 0)) moved = this.d.store.transition(id, 'sending');
      if (left === 0) moved = this.d.store.transition(id, 'done');
      return moved;
    })();
  }

  status(id: string): CampaignStatus {
    // Catch up first: progress heard while another profile was in view, or before the hook was wired.
    this.sync(id);
    const c = this.d.store.get(id);
    const counts: RecipientCounts = this.d.recipients.counts(id);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const settled = counts.sent + counts.failed + counts.unknown + counts.blocked;
    return {
      id,
      state: c.state,
      counts,
      total,
      progress: total === 0 ? 0 : settled / total,
      fromTemplate: c.personalization === 'template' ? 0 : this.d.recipients.fromTemplate(id),
      etaAt: this.eta(c, counts.queued),
      generation: { ...this.d.runner.generation(id), fallback: c.personalization === 'template' ? null : fallbackReason(this.d.recipients.fallbackReason(id)) },
      variants: c.personalization === 'ai_variants' ? this.d.recipients.variantCounts(id) : [],
    };
  }

  /**
   * `status` for the list's rows, without its cost: one query for the campaigns and one for their
   * counts. Only campaigns the queue is moving catch up first (the rest cannot have moved).
   */
  summaries(ids: readonly string[]): Array<Omit<CampaignSummary, 'costMicros'>> {
    let found = this.d.store.getMany(ids);
    const moving = found.filter((c) => c.state === 'queued' || c.state === 'sending');
    if (moving.some((c) => this.sync(c.id) !== null)) found = this.d.store.getMany(ids);
    const counted = this.d.recipients.countsMany(ids);
    const byId = new Map(found.map((c) => [c.id, c]));
    const ordered = [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
    return ordered.map((c) => {
      const e = counted.get(c.id);
      const counts = e?.counts;
      const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
      const settled = counts ? counts.sent + counts.failed + counts.unknown + counts.blocked : 0;
      return {
        id: c.id,
        state: c.state,
        total,
        progress: total === 0 ? 0 : settled / total,
        fromTemplate: c.personalization === 'template' ? 0 : (e?.fromTemplate ?? 0),
        etaAt: this.eta(c, counts?.queued ?? 0),
      };
    });
  }

  /**
   * When the campaign's last queued send should go: the account's whole queue (other jobs share
   * its pace) spaced at its rate from the limiter's next free slot. null when nothing is queued
   * or the campaign is paused (it waits on the operator, not the limiter).
   */
  private eta(c: Campaign, queued: number): number | null {
    if (queued === 0 || c.accountId === null || c.state === 'paused' || c.state === 'cancelled') return null;
    const stats = this.d.queue().stats(c.accountId)[0];
    if (!stats) return null;
    const now = this.d.clock.now();
    const intervalMs = Math.max(Math.ceil(60_000 / stats.perMinute), stats.minSpacingSeconds * 1000);
    const ahead = Math.max(stats.queued, queued);
    return Math.max(now, stats.nextSlotAt) + (ahead - 1) * intervalMs;
  }
}
