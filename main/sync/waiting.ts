import type { Db } from '../db/open';
import { failed, type DeliveryOutcome, type OutboxItem } from '../outbox';
import type { Clock } from '../ports/clock';

/**
 * Outbox claims past this are brought back to it while rows wait on the team layer (off,
 * offline, access denied): the backoff stays at its cap and the rows never reach dead letter,
 * so whatever the outage, they sync once it ends.
 */
const ATTEMPTS_KEPT = 8;
/** The longest a waiting row sleeps: an outage's end is noticed within it. */
export const SYNC_BACKOFF = { baseMs: 1_000, maxMs: 60_000 };
export const WAIT_MS = SYNC_BACKOFF.maxMs;
/** While offline, how long the rows not yet tried wait before the next look. */
const PARK_MS = 30_000;

/**
 * How one team-sync topic's outbox rows wait while the team layer cannot take them, and how
 * `now()` brings them back. A failed batch parks every other row of its topic too, so a large
 * backlog is not claimed batch after batch only to fail; a `now()` made while a batch is out
 * would be undone by that park, so it is owed again once the batch settles.
 */
export class WaitingRows {
  private inFlight = 0;
  private nowOwed = false;
  private readonly stmt;

  constructor(
    db: Db,
    private readonly topic: string,
    private readonly clock: Clock,
    private readonly wake: () => void = () => undefined,
  ) {
    this.stmt = {
      keep: db.prepare<[number, number]>('UPDATE outbox SET attempts = MIN(attempts, ?) WHERE id = ?'),
      oldest: db.prepare<[string], number | null>(`SELECT MIN(created_at) FROM outbox WHERE topic = ? AND state = 'pending'`).pluck(),
      park: db.prepare<[number, string, number]>(
        `UPDATE outbox SET next_attempt_at = ? WHERE topic = ? AND state = 'pending' AND lease_owner IS NULL AND next_attempt_at < ?`,
      ),
      due: db.prepare<[number, string, number]>(
        `UPDATE outbox SET next_attempt_at = ? WHERE topic = ? AND state = 'pending' AND lease_owner IS NULL AND next_attempt_at > ?`,
      ),
    };
  }

  /** When the oldest row still waiting was written. */
  oldestAt(): number | null {
    return this.stmt.oldest.get(this.topic) ?? null;
  }

  /** Every waiting row falls due now, and the relay is woken. */
  now(): void {
    if (this.inFlight > 0) this.nowOwed = true;
    this.due();
  }

  /** The consumer's `settled` hook: a `now()` made during the batches out is honoured now. */
  settled(): void {
    if (!this.nowOwed || this.inFlight > 0) return;
    this.nowOwed = false;
    this.due();
  }

  /** Runs one delivery, counted as in flight. */
  async during<T>(deliver: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await deliver();
    } finally {
      this.inFlight--;
    }
  }

  /** The batch's rows and every other of the topic wait; `retryAfterMs` undefined = a short park (retryable). */
  wait(items: readonly OutboxItem<unknown>[], error: string, retryAfterMs: number | undefined): DeliveryOutcome[] {
    for (const item of items) this.stmt.keep.run(ATTEMPTS_KEPT, item.id);
    const until = this.clock.now() + (retryAfterMs ?? PARK_MS);
    this.stmt.park.run(until, this.topic, until);
    return items.map(() => failed(error, retryAfterMs === undefined ? {} : { retryAfterMs }));
  }

  private due(): void {
    const now = this.clock.now();
    this.stmt.due.run(now, this.topic, now);
    this.wake();
  }
}
