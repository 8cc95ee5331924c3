import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSendStats } from '../../../../shared/sending';
import { inWindow, WINDOW_MS } from './time';

/**
 * The account's last 60 s: one cell per message the minute allows (filled as they are used), and
 * a timeline with a mark per send and the spacing after it during which the next must wait.
 */
export function BudgetBar({ stats, now }: { stats: AccountSendStats; now: number }) {
  const { t } = useTranslation();
  const used = inWindow(stats.recent, now);
  const cells = Array.from({ length: stats.perMinute }, (_, i) => i < used.length);
  const start = now - WINDOW_MS;
  const pct = (ms: number) => `${Math.min(100, Math.max(0, (ms / WINDOW_MS) * 100))}%`;
  const spacing = stats.minSpacingSeconds * 1000;
  const full = used.length >= stats.perMinute;
  return (
    <div className="budget" data-testid="budget">
      <div className="budget-head">
        <strong data-testid="budget-used">{t('limits.budget.used', { count: used.length, max: stats.perMinute })}</strong>
        <small className="muted">{t('limits.budget.rule', { perMinute: stats.perMinute, spacing: stats.minSpacingSeconds })}</small>
      </div>
      <div className={full ? 'budget-cells full' : 'budget-cells'} role="img" aria-label={t('limits.budget.label', { count: used.length, max: stats.perMinute })}>
        {cells.map((on, i) => (
          <span key={i} className={on ? 'on' : undefined} />
        ))}
      </div>
      <div className="budget-timeline" aria-hidden="true">
        {used.map((at) => (
          <Fragment key={at}>
            <span className="budget-gap" style={{ left: pct(at - start), width: pct(Math.min(spacing, now - at + 1000)) }} />
            <span className="budget-send" style={{ left: pct(at - start) }} />
          </Fragment>
        ))}
      </div>
      <div className="budget-axis" aria-hidden="true">
        <small>{t('limits.budget.ago')}</small>
        <small>{t('limits.budget.now')}</small>
      </div>
    </div>
  );
}
