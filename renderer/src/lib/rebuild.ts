import type { EventPayload } from '../../../shared/contract';

export type RebuildProgress = EventPayload<'costs.rebuild'>;

/**
 * The re-bucketing to show after an event, or null when none runs. A late `finished` from a zone
 * the operator has already left does not hide the progress of the zone now being built.
 */
export function nextRebuild(shown: RebuildProgress | null, event: RebuildProgress): RebuildProgress | null {
  if (!event.finished) return event;
  return shown && shown.zone !== event.zone ? shown : null;
}

/** Whole percent done, never 100 before the end (a floor), 0 while the total is still unknown. */
export const rebuildPercent = (p: RebuildProgress): number => (p.total === 0 ? 0 : Math.min(100, Math.floor((p.done * 100) / p.total)));
