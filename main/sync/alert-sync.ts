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
import { SYNC_BACKOFF, WAIT_MS, WaitingRows } from './waiting';
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

/**
 * Puts this seat's alerts into `{prefix}-cost-alerts`, one item per alert under a key of the
 * seat and the alert id (never a team claim's key), rewritten whole from the local row.
 */
export class AlertSync {
  private readonly writer: BatchWriter;
  private readonly logger: Logger;
  private readonly stmt;
  private readonly waiting: WaitingRows;

  constructor(private readonly deps: AlertSyncDeps) {
    this.writer = new BatchWriter(deps.writer);
    this.logger = deps.logger ?? silentLogger;
    const { db } = deps;
    this.waiting = new WaitingRows(db, SEAT_ALERT_TOPIC, deps.clock, deps.wake);
    this.stmt = {
      alert: db.prepare<[string], AlertDbRow>('SELECT message, fired_at, acknowledged_at FROM cost_alerts WHERE id = ?'),
      backlog: db.prepare<[string], number>(`SELECT COUNT(DISTINCT payload ->> '$.id') FROM outbox WHERE topic = ? AND state = 'pending'`).pluck(),
    };
  }

  consumer(): OutboxConsumer<SeatAlertPayload> {
    return defineConsumer({
      topic: SEAT_ALERT_TOPIC,
      schema: seatAlertPayloadSchema,
      batchSize: 25,
      // Never reached: waiting rows keep their attempts low (waiting.ts).
      maxAttempts: 1_000,
      leaseMs: 5 * 60_000,
      backoff: SYNC_BACKOFF,
      deliver: (items, { signal }) => this.deliver(items, signal),
      settled: () => this.waiting.settled(),
    });
  }

  /** Alerts not yet in the team table, and when the oldest of their rows was written. */
  backlog(): { alerts: number; oldestAt: number | null } {
    return { alerts: this.stmt.backlog.get(SEAT_ALERT_TOPIC) ?? 0, oldestAt: this.waiting.oldestAt() };
  }

  now(): void {
    this.waiting.now();
  }

  deliver(items: readonly OutboxItem<SeatAlertPayload>[], signal?: AbortSignal): Promise<DeliveryOutcome[]> {
    return this.waiting.during(async () => {
      const connection = await this.deps.connect();
      if ('unavailable' in connection) return this.waiting.wait(items, `team layer unavailable: ${connection.unavailable}`, WAIT_MS);
      const { puts, outcomes } = this.items(items, connection.seatId);
      try {
        await this.writer.putAll(connection.dynamo, connection.names.alertsTable, puts, signal);
        return outcomes;
      } catch (err) {
        const error = classifyAwsError(err);
        this.logger.warn('sync: alerts wait', { code: error.code, error: redactError(error.message) });
        return this.waiting.wait(items, `${error.code}: ${error.message}`, error.retryable ? undefined : WAIT_MS);
      }
    });
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

}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
