/**
 * The outbox topic of this seat's alerts for the team table, apart from its consumer so the
 * budgets (both profiles) can enqueue without loading the AWS SDK.
 */
import { z } from 'zod';
import type { OutboxMessage } from '../outbox';

/** This seat's own budget alerts on their way to the team's alerts table. */
export const SEAT_ALERT_TOPIC = 'ddb_alert';

export const seatAlertPayloadSchema = z.object({ id: z.string().min(1).max(120) }).strict();
export type SeatAlertPayload = z.infer<typeof seatAlertPayloadSchema>;

/**
 * The outbox row that pushes an alert. The payload names the alert only: the consumer reads its
 * current state from `cost_alerts`, so whichever row goes last, the item holds the latest. An
 * acknowledgement gets its own key because an enqueue whose key exists adds nothing, and the
 * first row may be delivered (or compacted) already.
 */
export const seatAlertMessage = (id: string, reason: 'fired' | 'acknowledged'): OutboxMessage<SeatAlertPayload> => ({
  topic: SEAT_ALERT_TOPIC,
  key: reason === 'fired' ? id : `${id}#ack`,
  payload: { id },
});
