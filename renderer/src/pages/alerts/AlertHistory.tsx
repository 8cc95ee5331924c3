import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertEntry } from '../../../../shared/contract/budgets';
import { describeError } from '../../api/errors';
import { useAct } from '../../api/query';
import { useMoney } from '../../lib/money';

function scopeText(t: (k: string, o?: Record<string, unknown>) => string, a: AlertEntry): string {
  const { scope, target, label } = a.threshold;
  if (scope === 'global') return t('alertHistory.scopes.global');
  return t(`alertHistory.scopes.${scope}`, { name: label ?? target ?? '' });
}

function Row({ alert, highlighted }: { alert: AlertEntry; highlighted: boolean }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const ack = useAct('alerts.acknowledge');
  const retry = useAct('alerts.retry');
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: 'center' });
  }, [highlighted]);
  const what = alert.kind === 'projected_overrun' ? t('alertHistory.projected') : t('alertHistory.reached', { percent: alert.threshold.percent });
  return (
    <tr ref={ref} data-testid={`alert-${alert.id}`} className={highlighted ? 'highlight' : undefined} aria-current={highlighted ? 'true' : undefined}>
      <td className="nowrap">{new Date(alert.firedAt).toLocaleString(i18n.language)}</td>
      <td>
        <span className={`chip ${alert.level === 'critical' ? 'bad' : ''}`}>{t(`alertHistory.levels.${alert.level}`)}</span> {scopeText(t, alert)} — {what}
      </td>
      <td className="nowrap">{t(`alertHistory.periods.${alert.period.unit}`, { key: alert.period.key })}</td>
      <td className="nowrap">{t('alertHistory.amounts', { amount: money.micros(alert.amountMicros), budget: money.micros(alert.budgetMicros) })}</td>
      <td>
        {alert.channels.length === 0 && <span className="muted">{t('alertHistory.noChannels')}</span>}
        {alert.channels.map((c) => (
          <div key={c.channel} data-testid={`delivery-${c.channel}`}>
            {t(`alertHistory.channels.${c.channel}`)}: <span className={c.state === 'dead' ? 'error' : undefined}>{t(`alertHistory.states.${c.state}`)}</span>
            {c.lastError && <span className="muted"> — {c.lastError}</span>}
            {c.state === 'dead' && (
              <button type="button" className="link" disabled={retry.isPending} onClick={() => retry.mutate({ channel: c.channel, alertId: alert.id })}>
                {t('alertHistory.retry')}
              </button>
            )}
          </div>
        ))}
        {retry.error && <p className="error" role="alert">{describeError(t, retry.error)}</p>}
      </td>
      <td className="nowrap">
        {alert.acknowledgedAt === null ? (
          <button type="button" disabled={ack.isPending} onClick={() => ack.mutate({ id: alert.id })}>
            {t('alertHistory.acknowledge')}
          </button>
        ) : (
          <span data-testid="acknowledged">{t('alertHistory.acknowledgedAt', { when: new Date(alert.acknowledgedAt).toLocaleString(i18n.language) })}</span>
        )}
        {ack.error && <p className="error" role="alert">{describeError(t, ack.error)}</p>}
      </td>
    </tr>
  );
}

/** Every alert the budgets fired in this profile, newest first, with each channel's delivery. */
export function AlertHistory({ alerts, highlight }: { alerts: AlertEntry[]; highlight?: string }) {
  const { t } = useTranslation();
  return (
    <article className="card" aria-labelledby="history-title" data-testid="alert-history">
      <h2 id="history-title">{t('alertHistory.title')}</h2>
      {alerts.length === 0 ? (
        <div className="empty" data-testid="history-empty">
          <p>{t('alertHistory.empty')}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t('alertHistory.firedAt')}</th>
                <th>{t('alertHistory.what')}</th>
                <th>{t('alertHistory.period')}</th>
                <th>{t('alertHistory.amount')}</th>
                <th>{t('alertHistory.deliveries')}</th>
                <th>{t('alertHistory.ack')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => <Row key={a.id} alert={a} highlighted={a.id === highlight} />)}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
