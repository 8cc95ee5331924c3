import type { EventBus } from '../ipc/events';

/** At most one `requests.updated` per this many ms, however fast requests end. */
export const REQUESTS_UPDATED_EVERY_MS = 250;

/**
 * Turns request-log commits into `requests.updated`, coalesced like `costs.updated`: the first
 * commit after a quiet spell is announced at once, later ones in the window fold into one
 * trailing event, so a campaign's thousand requests do not make every window refetch a thousand times.
 */
export class RequestEvents {
  private timer: NodeJS.Timeout | null = null;
  private pending = 0;

  constructor(
    private readonly events: EventBus,
    private readonly everyMs = REQUESTS_UPDATED_EVERY_MS,
  ) {}

  committed = (count: number): void => {
    if (this.timer) {
      this.pending += count;
      return;
    }
    this.events.emit('requests.updated', { count });
    this.arm();
  };

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pending === 0) return;
      const count = this.pending;
      this.pending = 0;
      this.events.emit('requests.updated', { count });
      this.arm();
    }, this.everyMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = 0;
  }
}
