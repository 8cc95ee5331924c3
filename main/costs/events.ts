import { isoDay } from '../../shared/costs';
import type { EventBus } from '../ipc/events';
import type { RebuildProgress } from './zone-rollups';

/** At most one `costs.updated` per this many ms, however fast the ledger commits. */
export const COSTS_UPDATED_EVERY_MS = 250;

/**
 * Turns ledger commits into `costs.updated` events, coalesced: the first commit after a quiet
 * spell is announced at once, later ones within the window fold into one trailing event.
 */
export class CostEvents {
  private timer: NodeJS.Timeout | null = null;
  private pendingDay: number | null = null;

  constructor(
    private readonly events: EventBus,
    private readonly everyMs = COSTS_UPDATED_EVERY_MS,
  ) {}

  committed = (days: ReadonlySet<number>): void => {
    const last = Math.max(...days);
    if (this.timer) {
      this.pendingDay = Math.max(this.pendingDay ?? last, last);
      return;
    }
    this.events.emit('costs.updated', { day: isoDay(last) });
    this.arm();
  };

  rebuild = (progress: RebuildProgress): void => {
    this.events.emit('costs.rebuild', progress);
  };

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pendingDay === null) return;
      const day = this.pendingDay;
      this.pendingDay = null;
      this.events.emit('costs.updated', { day: isoDay(day) });
      this.arm();
    }, this.everyMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pendingDay = null;
  }
}
