import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/query';
import { useMoney } from '../../lib/money';

/**
 * The whole team's alerts of this month, read-only: who fired what. Shown once the team layer is
 * on; this seat's own alerts are acknowledged in the history above, not here.
 */
export function TeamAlerts() {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const { data } = useCall('team.alerts', {});
  if (!data || data.status === 'disabled') return null;
  return (
    <article className="card" aria-labelledby="team-alerts-title" data-testid="team-alerts">
      <h2 id="team-alerts-title">{t('sync.teamAlerts.title')}</h2>
      {data.status !== 'ok' && (
        <p className="muted" role="status" data-testid="team-alerts-status" data-status={data.status}>
          {t(`sync.teamAlerts.status.${data.status}`)}
        </p>
      )}
      {data.status === 'ok' && data.alerts.length === 0 && <p className="muted">{t('sync.teamAlerts.empty')}</p>}
      {data.alerts.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t('sync.teamAlerts.firedAt')}</th>
                <th>{t('sync.teamAlerts.who')}</th>
                <th>{t('sync.teamAlerts.what')}</th>
                <th>{t('sync.teamAlerts.amount')}</th>
                <th>{t('sync.teamAlerts.state')}</th>
              </tr>
            </thead>
            <tbody>
              {data.alerts.map((a) => (
                <tr key={`${a.seat}:${a.id}`} data-testid={`team-alert-${a.id}`}>
                  <td className="nowrap">{new Date(a.firedAt).toLocaleString(i18n.language)}</td>
                  <td>{a.thisSeat ? t('sync.teamAlerts.thisSeat') : (a.operator ?? t('sync.teamAlerts.seat', { seat: a.seat.slice(0, 8) }))}</td>
                  <td>
                    <span className={`chip ${a.level === 'critical' ? 'bad' : ''}`}>{t(`alertHistory.levels.${a.level}`)}</span>{' '}
                    {t(a.team ? 'sync.teamAlerts.teamBudget' : 'sync.teamAlerts.seatBudget')} — {a.kind === 'projected_overrun' ? t('alertHistory.projected') : t('alertHistory.reached', { percent: a.percent })} · {a.periodLabel}
                  </td>
                  <td className="nowrap">{t('alertHistory.amounts', { amount: money.micros(a.amountMicros), budget: money.micros(a.budgetMicros) })}</td>
                  <td className="nowrap">{a.acknowledgedAt === null ? t('sync.teamAlerts.open') : t('alertHistory.acknowledgedAt', { when: new Date(a.acknowledgedAt).toLocaleString(i18n.language) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.skipped > 0 && <p className="muted">{t('sync.teamAlerts.skipped', { count: data.skipped })}</p>}
    </article>
  );
}
