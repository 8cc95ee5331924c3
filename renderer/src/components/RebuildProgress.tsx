import { useTranslation } from 'react-i18next';
import { rebuildPercent } from '../lib/rebuild';
import { useRebuild } from '../stores/rebuild';

/** "Re-bucketing history into Asia/Kolkata: 42 %" while a time-zone change rebuilds the cost rollups. */
export function RebuildProgress() {
  const { t, i18n } = useTranslation();
  const progress = useRebuild((s) => s.progress);
  if (!progress) return null;
  const percent = rebuildPercent(progress);
  const formatted = new Intl.NumberFormat(i18n.language, { style: 'percent' }).format(percent / 100);
  return (
    <p role="status" className="muted rebuild-progress" data-testid="rebuild-progress" data-percent={percent}>
      <progress max={100} value={percent} aria-hidden="true" /> {t('costs.rebuilding', { zone: progress.zone, percent: formatted })}
    </p>
  );
}
