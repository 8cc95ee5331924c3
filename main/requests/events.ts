import { Coalesced } from '../ipc/coalesce';
import type { EventBus } from '../ipc/events';

/** At most one `requests.updated` per this many ms, however fast requests end. */
export const REQUESTS_UPDATED_EVERY_MS = 250;

/** Turns request-log commits into `requests.updated`, coalesced like `costs.updated` (the counts add up). */
export class RequestEvents {
  private readonly updated: Coalesced<number>;

  constructor(events: EventBus, everyMs = REQUESTS_UPDATED_EVERY_MS) {
    this.updated = new Coalesced(everyMs, (a, b) => a + b, (count) => events.emit('requests.updated', { count }));
  }

  committed = (count: number): void => {
    this.updated.push(count);
  };

  close(): void {
    this.updated.close();
  }
}
