import { alertMessageSchema } from '../../shared/alerts';
import type { TeamAwsUnavailable, TeamConnection } from '../aws/clients';
import type { SeatAlertItem } from '../aws/items';
import { keys } from '../aws/keys';
import type { Db } from '../db/open';
import { defineConsumer, delivered, failed, type DeliveryOutcome, type OutboxConsumer, type OutboxItem } from '../outbox';
import { redactError } from '../outbox/backoff';
import type { Clock } from '../ports/clock';
import { type Logger, silentLogger } from '../ports/logger';
import { SEAT_ALERT_TOPIC, type SeatAlertPayload, seatAlertPayloadSchema } from './alert-topic';
import { BatchWriter, classifyAwsError, type WriterOptions } from './writer';

export interface AlertSyncDeps {
  /** The LIVE profile's database: only it enqueues this topic. */
  db: Db;
  connect: () => Promise<TeamConnection | { unavailable: TeamAwsUnavailable }>;
  operator: () => string;
  clock: Clock;
  logger?: Logger;
  writer?: WriterOptions;
  wake?: () => void;
}

interface AlertDbRow {
  message: string;
  fired_at: number;
  acknowledged_at: number | null;
}

/** As the ledger sync: rows waiting on the team layer keep their attempts low and never go to dead letter. */
const ATTEMPTS_KEPT = 8;
const WAIT_MS = 60_000;
const PARK_MS = 30_000;

/**
 * Puts this seat's alerts into `{prefix}-cost-alerts`, one item per alert under a key of the
 * seat and the alert id (never a team claim's key), rewritten whole from the local row.
 */
export class AlertSync {
  private readonly writer: BatchWriter;
  private readonly logger: Logger;
  private readonly stmt;
  private inFlight = 0;
  private nowOwed = false;

  constructor(private readonly deps: AlertSyncDeps) {
    this.writer = new BatchWriter(deps.writer);
    this.logger = deps.logger ?? silentLogger;
    const { db } = deps;
    this.stmt = {
      alert: db.prepare<[string], AlertDbRow>('SELECT message, fired_at, acknowledged_at FROM cost_alerts WHERE id = ?'),
      keep: db.prepare<[number, number]>('UPDATE outbox SET attempts = MIN(attempts, ?) WHERE id = ?'),
      backlog: db.prepare<[string], number>(`SELECT COUNT(DISTINCT payload ->> '$.id') FROM outbox WHERE topic = ? AND state = 'pending'`).pluck(),
      oldest: db.prepare<[string], number | null>(`SELECT MIN(created_at) FROM outbox WHERE topic = ? AND state = 'pending'`).pluck(),
      park: db.prepare<[number, string, number]>(
        `UPDATE outbox SET next_attempt_at = ? WHERE topic = ? AND state = 'pending' AND lease_owner IS NULL AND next_attempt_at < ?`,
      ),
      due: db.prepare<[number, string, number]>(
        `UPDATE outbox SET next_attempt_at = ? WHERE topic = ? AND state = 'pending' AND lease_owner IS NULL AND next_attempt_at > ?`,
      ),
    };
  }

  consumer(): OutboxConsumer<SeatAlertPayload> {
    return defineConsumer({
      topic: SEAT_ALERT_TOPIC,
      schema: seatAlertPayloadSchema,
      batchSize: 25,
      // Never reached: waiting rows are kept below ATTEMPTS_KEPT.
      maxAttempts: 1_000,
      leaseMs: 5 * 60_000,
      backoff: { baseMs: 1_000, maxMs: WAIT_MS },
      deliver: (items, { signal }) => this.deliver(items, signal),
      settled: () => this.settledBatch(),
    });
  }

  /** Alerts not yet in the team table, and when the oldest of their rows was written. */
  backlog(): { alerts: number; oldestAt: number | null } {
    return { alerts: this.stmt.backlog.get(SEAT_ALERT_TOPIC) ?? 0, oldestAt: this.stmt.oldest.get(SEAT_ALERT_TOPIC) ?? null };
  }

  now(): void {
    if (this.inFlight > 0) this.nowOwed = true;
    const now = this.deps.clock.now();
    this.stmt.due.run(now, SEAT_ALERT_TOPIC, now);
  }

  private settledBatch(): void {
    if (!this.nowOwed || this.inFlight > 0) return;
    this.nowOwed = false;
    this.now();
    this.deps.wake?.();
  }

  async deliver(items: readonly OutboxItem<SeatAlertPayload>[], signal?: AbortSignal): Promise<DeliveryOutcome[]> {
    this.inFlight++;
    try {
      const connection = await this.deps.connect();
      if ('unavailable' in connection) return this.wait(items, `team layer unavailable: ${connection.unavailable}`, WAIT_MS);
      const { puts, outcomes } = this.items(items, connection.seatId);
      try {
        await this.writer.putAll(connection.dynamo, connection.names.alertsTable, puts, signal);
        return outcomes;
      } catch (err) {
        const error = classifyAwsError(err);
        this.logger.warn('sync: alerts wait', { code: error.code, error: redactError(error.message) });
        return this.wait(items, `${error.code}: ${error.message}`, error.retryable ? undefined : WAIT_MS);
      }
    } finally {
      this.inFlight--;
    }
  }

  /** One item per alert (an alert fired and acknowledged may be in one batch twice: a batch refuses a key twice). */
  private items(items: readonly OutboxItem<SeatAlertPayload>[], seat: string): { puts: SeatAlertItem[]; outcomes: DeliveryOutcome[] } {
    const operator = this.deps.operator();
    const puts = new Map<string, SeatAlertItem>();
    const outcomes = items.map((item): DeliveryOutcome => {
      const { id } = item.payload;
      const row = this.stmt.alert.get(id);
      // Alerts are never deleted locally; a row without its alert has nothing left to push.
      if (!row) return delivered;
      const message = alertMessageSchema.safeParse(parseJson(row.message));
      if (!message.success) return failed(`alert ${id} in the local history no longer matches its schema`, { permanent: true });
      puts.set(id, {
        ...keys.seatAlert(message.data.period.key.slice(0, 7), seat, id),
        kind: 'seat',
        alertId: id,
        seat,
        operator,
        firedAt: row.fired_at,
        acknowledgedAt: row.acknowledged_at,
        message: message.data,
      });
      return delivered;
    });
    return { puts: [...puts.values()], outcomes };
  }

  private wait(items: readonly OutboxItem<SeatAlertPayload>[], error: string, retryAfterMs: number | undefined): DeliveryOutcome[] {
    for (const item of items) this.stmt.keep.run(ATTEMPTS_KEPT, item.id);
    const until = this.deps.clock.now() + (retryAfterMs ?? PARK_MS);
    this.stmt.park.run(until, SEAT_ALERT_TOPIC, until);
    return items.map(() => failed(error, retryAfterMs === undefined ? {} : { retryAfterMs }));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
