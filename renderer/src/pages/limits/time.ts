import { useSyncExternalStore } from 'react';

const everySecond = (notify: () => void) => {
  const timer = setInterval(notify, 1000);
  return () => clearInterval(timer);
};
// Floored to the second so that every read within one tick agrees.
const windowSecond = () => Math.floor(Date.now() / 1000) * 1000;

/**
 * The window's wall clock, moving once a second without refetching anything: the budget bar
 * slides and the next-slot countdown ticks between the core's updates. The core runs on this
 * machine, so its wall times (`recent`, `nextSlotAt`) are on the same clock.
 */
export function useNow(): number {
  return useSyncExternalStore(everySecond, windowSecond);
}

/** The 60 s the budget bar shows. */
export const WINDOW_MS = 60_000;

/** Sends still inside the last minute at `now`, oldest first. */
export const inWindow = (recent: readonly number[], now: number): number[] => recent.filter((at) => at > now - WINDOW_MS && at <= now + 1000);
