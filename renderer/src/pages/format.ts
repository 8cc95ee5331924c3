import type { TFunction } from 'i18next';

export function formatBytes(t: TFunction, bytes: number, locale: string): string {
  const fmt = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024) return t('units.bytes', { value: fmt(bytes) });
  if (bytes < 1024 * 1024) return t('units.kib', { value: fmt(bytes / 1024) });
  return t('units.mib', { value: fmt(bytes / (1024 * 1024)) });
}

export function formatDuration(t: TFunction, ms: number): string {
  const total = Math.floor(ms / 1000);
  return t('units.duration', { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 });
}

/** A latency percentile, or a dash when nothing has been measured yet. */
export function formatMs(t: TFunction, ms: number | null, locale: string): string {
  if (ms === null) return '—';
  return t('units.ms', { value: Math.round(ms).toLocaleString(locale) });
}
