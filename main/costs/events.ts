import { isoDay } from '../../shared/costs';
import { Coalesced } from '../ipc/coalesce';
import type { EventBus } from '../ipc/events';
import type { RebuildProgress } from './zone-rollups';

/** At most one `costs.updated` per this many ms, however fast the ledger commits. */
export const COSTS_UPDATED_EVERY_MS = 250;

/**
 * Turns ledger commits into `costs.updated` events, coalesced (one per window, carrying the
 * latest local day touched), and passes rebuild progress through as it comes.
 */
export class CostEvents {
  private readonly updated: Coalesced<number>;

  constructor(
    private readonly events: EventBus,
    everyMs = COSTS_UPDATED_EVERY_MS,
  ) {
    this.updated = new Coalesced(everyMs, Math.max, (day) => this.events.emit('costs.updated', { day: isoDay(day) }));
  }

  committed = (days: ReadonlySet<number>): void => {
    this.updated.push(Math.max(...days));
  };

  rebuild = (progress: RebuildProgress): void => {
    this.events.emit('costs.rebuild', progress);
  };

  close(): void {
    this.updated.close();
  }
}
