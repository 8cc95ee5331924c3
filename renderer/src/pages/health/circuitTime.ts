import type { TFunction } from 'i18next';
import { useMemo, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/query';

/** A time of day in the agency's zone and the operator's language (falls back to the window's zone until settings load). */
export function useTimeOfDay(): (ms: number) => string {
  const { i18n } = useTranslation();
  const timeZone = useCall('settings.get', {}).data?.timeZone;
  return useMemo(() => {
    const fmt = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) });
    return (ms: number) => fmt.format(ms);
  }, [i18n.language, timeZone]);
}

const everySecond = (notify: () => void) => {
  const timer = setInterval(notify, 1000);
  return () => clearInterval(timer);
};
const never = () => () => undefined;
// Floored to the second so that every read within one tick agrees.
const windowSecond = () => Math.floor(Date.now() / 1000) * 1000;

/**
 * Milliseconds left until `at`, ticking every second. The deadline and `readAt` are the core's
 * clock; only the time since the reading arrived (`receivedAt`, the window's clock) is measured
 * here, so a window whose clock is off still counts down to the core's deadline.
 */
export function useCountdown(at: number | null, readAt: number, receivedAt: number): number | null {
  const now = useSyncExternalStore(at === null ? never : everySecond, windowSecond);
  if (at === null) return null;
  return Math.max(0, at - readAt - Math.max(0, now - receivedAt));
}

/** "12 s", "2 min 05 s": a wait worded for the operator. */
export function formatWait(t: TFunction, ms: number): string {
  const total = Math.ceil(ms / 1000);
  if (total < 60) return t('outcomes.wait.seconds', { s: total });
  return t('outcomes.wait.minutes', { m: Math.floor(total / 60), s: String(total % 60).padStart(2, '0') });
}
