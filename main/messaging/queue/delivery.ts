/**
 * What happens to a send once it is in `sending`: the transport's answer becomes the row's next
 * state. Kept apart from the scheduler so the failure rules read in one place:
 * - sent → `sent`;
 * - may have been delivered (the body left, no plain answer) → ask the platform by client
 *   reference: there → `sent`, absent → retried as a transient failure, cannot tell → `unknown`,
 *   the platform unreachable → the row stays in `sending` and the account goes offline until a
 *   probe answers, then the platform is asked again (not known yet is not unknown);
 * - the transport is unreachable (`connection`) → back to the queue with the attempt given back,
 *   the account offline until a probe answers;
 * - refused for good (unauthorized, not found, bad request) → `failed`;
 * - anything else (429, 5xx, a timeout or a drop the lookup proved harmless) → back to the queue
 *   after a full-jitter backoff (a 429's Retry-After as the floor), `failed attempts_exhausted`
 *   once the attempts are used up.
 */
import type { SendReason } from '../../../shared/sending';
import { fullJitterDelayMs } from '../../outbox/backoff';
import type { BackoffPolicy } from '../../outbox/types';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { LookupResult, MessagingTransport, SendFailure, TestResult } from '../transport';
import { type Lane, OFFLINE_REASONS, PERMANENT_REASONS } from './lanes';
import type { SendRow, SendStore } from './store';

export interface DeliveriesOptions {
  store: SendStore;
  clock: Clock;
  logger: Logger;
  random: () => number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  offlineBackoff: BackoffPolicy;
  /** Commits `write` in this turn's transaction (see turn.ts); settles once it is durable and reported. */
  commit: (write: () => SendRow | SendRow[] | null) => Promise<void>;
  /** An account went offline or came back. */
  queueChanged: (accountId: string) => void;
}

/** A send's next state as one write, run in the turn's transaction (see turn.ts); null: the row stays as it is. */
export type Outcome = (() => SendRow | SendRow[] | null) | null;

export class Deliveries {
  constructor(private readonly o: DeliveriesOptions) {}

  /**
   * Sends one message and answers its outcome without writing it: the queue commits the outcome
   * in the same transaction as the lane's next claim (one commit per loop turn, not two per send).
   * `answered` runs the moment the transport returns, before any lookup: whatever came back, the
   * request may have reached the platform by then, so the account's pace restarts from here.
   */
  async deliver(lane: Lane, transport: MessagingTransport, row: SendRow, signal: AbortSignal, answered: () => void): Promise<Outcome> {
    const message = {
      chatId: row.chat_id,
      text: row.text,
      clientRef: row.client_ref,
      ...(row.price_micros === null ? {} : { priceMicros: row.price_micros }),
      ...(row.media_ids === '[]' ? {} : { mediaIds: JSON.parse(row.media_ids) as string[] }),
    };
    let result;
    try {
      result = await transport.send(message, signal);
    } catch (err) {
      // A transport is not supposed to throw; if one does, the message may have left.
      result = { ok: false, reason: 'invalid_reply', maybeSent: true, detail: String(err) } satisfies SendFailure;
    }
    answered();
    if (result.ok) {
      const now = this.now();
      return () => this.o.store.markSent(row.id, 'sending', result.remoteId, now);
    }
    return this.failed(lane, transport, row, result, signal);
  }

  /**
   * Each row a crash left in `sending`: the platform is asked, nothing is resent blindly. An
   * account whose platform does not answer keeps its rows in `sending` and goes offline; they are
   * asked about again once a probe gets through (`recheck`).
   */
  async reconcile(rows: readonly SendRow[], laneOf: (accountId: string) => Lane | undefined, signal: AbortSignal): Promise<void> {
    for (const row of rows) {
      // Stopping: what is left stays in `sending` for the next start.
      if (signal.aborted) return;
      const lane = laneOf(row.account_id);
      const transport = lane?.transport;
      if (!lane || !transport) {
        // Nobody can be asked: the operator decides.
        await this.commit(() => this.o.store.settle(row.id, 'sending', 'unknown', lane ? 'not_configured' : 'account_removed', this.now()));
        continue;
      }
      // Already found unreachable: asking again would only wait out another timeout.
      if (lane.offline) {
        lane.recheck.set(row.id, null);
        continue;
      }
      const found = await this.lookup(transport, row.client_ref, signal);
      // An answer cut short by stop() says nothing: the row waits for the next start.
      if (signal.aborted) return;
      await this.commit(this.answered(lane, row, null, found));
      this.o.logger.info('sends: reconciled after restart', { id: row.id, found });
    }
  }

  /** The lane's sends left in `sending` while its platform was unreachable, asked about now that it answers. */
  async recheck(lane: Lane, signal: AbortSignal): Promise<void> {
    const transport = lane.transport;
    if (!transport) return;
    for (const [id, reason] of [...lane.recheck]) {
      if (signal.aborted || lane.offline) return;
      const row = this.o.store.byId(id);
      if (row?.state !== 'sending') {
        lane.recheck.delete(id);
        continue;
      }
      const found = await this.lookup(transport, row.client_ref, signal);
      if (signal.aborted) return;
      if (found !== 'unreachable') lane.recheck.delete(id);
      await this.commit(this.answered(lane, row, reason, found));
    }
  }

  /** How long the next probe of an offline account waits: capped exponential, no jitter needed for one seat's probe. */
  probeDelay(lane: Lane): number {
    const n = lane.offline?.probes ?? 0;
    return Math.min(this.o.offlineBackoff.maxMs, this.o.offlineBackoff.baseMs * 2 ** n);
  }

  /** Asks the transport whether it answers; any answer (even a refusal) means it is back. */
  async probe(lane: Lane): Promise<TestResult | null> {
    const transport = lane.transport;
    if (!lane.offline || !transport) return null;
    let result: TestResult | null;
    try {
      result = await transport.test();
    } catch {
      result = null;
    }
    const answered = result !== null && (result.ok || (result.reason !== 'connection' && result.reason !== 'timeout'));
    if (!lane.offline) return result;
    if (answered) {
      lane.offline = null;
      this.o.logger.info('sends: transport answers again', { accountId: lane.account.id });
      this.o.queueChanged(lane.account.id);
    } else lane.offline.probes++;
    return result;
  }

  private async failed(lane: Lane, transport: MessagingTransport, row: SendRow, f: SendFailure, signal: AbortSignal): Promise<Outcome> {
    const now = this.now();
    if (f.reason === 'cancelled') {
      // Stopping: what may have left waits in `sending` for the next start's reconciliation.
      return f.maybeSent ? null : () => this.o.store.requeue(row.id, 'sending', row.reason, null, true, now);
    }
    lane.lastError = { reason: f.reason, at: now };
    if (f.maybeSent) {
      // Stopping cuts the lookup short: the row stays in `sending` for the next start to ask again.
      if (signal.aborted) return null;
      const found = await this.lookup(transport, row.client_ref, signal);
      if (signal.aborted) return null;
      return this.answered(lane, row, f.reason, found);
    }
    if (OFFLINE_REASONS.has(f.reason)) {
      this.offline(lane);
      return () => this.o.store.requeue(row.id, 'sending', f.reason, null, true, now);
    }
    if (PERMANENT_REASONS.has(f.reason)) return () => this.o.store.settle(row.id, 'sending', 'failed', f.reason, now);
    let floor = 0;
    let also: (() => void) | undefined;
    if (f.reason === 'rate_limited') {
      floor = f.retryAfterMs ?? 0;
      // The platform's word holds for the whole account, not just this message.
      lane.platformUntil = Math.max(lane.platformUntil, now + floor);
      also = () => this.o.store.recordThrottle(lane.account.id, 'platform', now);
    }
    return this.transient(lane, row, f.reason, floor, now, also);
  }

  /**
   * A lookup's answer for a send that may have left. `failure` is what made it uncertain (null:
   * a crash or a stop, which is no fault of the platform's, so an absent send gets its attempt back).
   */
  private answered(lane: Lane, row: SendRow, failure: SendReason | null, found: LookupResult): Outcome {
    const now = this.now();
    if (found === 'sent') return () => this.o.store.markSent(row.id, 'sending', null, now);
    if (found === 'unknown') return () => this.o.store.settle(row.id, 'sending', 'unknown', failure ?? 'dropped_after_send', now);
    if (found === 'unreachable') {
      // Not known yet is not unknown: the row stays in `sending` (so it is never picked, never
      // resent) until the platform answers the question.
      lane.recheck.set(row.id, failure);
      this.offline(lane);
      return null;
    }
    if (failure === null) return () => this.o.store.requeue(row.id, 'sending', row.reason, null, true, now);
    return this.transient(lane, row, failure, 0, now);
  }

  private offline(lane: Lane): void {
    if (lane.offline) return;
    lane.offline = { probes: 0 };
    this.o.logger.warn('sends: transport unreachable, sends wait', { accountId: lane.account.id });
    this.o.queueChanged(lane.account.id);
  }

  private transient(lane: Lane, row: SendRow, reason: SendReason, floorMs: number, now: number, also?: () => void): Outcome {
    lane.lastError = { reason, at: now };
    const used = row.attempts - row.attempt_base;
    if (used >= this.o.maxAttempts) {
      return () => {
        also?.();
        return this.o.store.settle(row.id, 'sending', 'failed', 'attempts_exhausted', now);
      };
    }
    const delay = Math.max(floorMs, fullJitterDelayMs(used, this.o.backoff, this.o.random));
    return () => {
      also?.();
      return this.o.store.requeue(row.id, 'sending', reason, now + delay, false, now);
    };
  }

  private async lookup(transport: MessagingTransport, clientRef: string, signal: AbortSignal): Promise<LookupResult> {
    try {
      return await transport.lookup(clientRef, signal);
    } catch {
      return 'unknown';
    }
  }

  private commit(write: Outcome): Promise<void> {
    return write ? this.o.commit(write) : Promise.resolve();
  }

  private now(): number {
    return this.o.clock.now();
  }
}
