import { useTranslation } from 'react-i18next';
import type { RequestRow } from '../../../../shared/requests';
import { useMoney } from '../../lib/money';
import { useRequestTime } from './time';

/** One line per request; its time opens the detail drawer. */
export function RequestsTable({ rows, onOpen }: { rows: readonly RequestRow[]; onOpen: (id: string, opener: HTMLButtonElement) => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const time = useRequestTime();
  const none = t('requestLog.none');
  return (
    <div className="table-wrap">
      <table className="table" data-testid="requests-table">
        <caption className="visually-hidden">{t('requestLog.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('requestLog.columns.time')}</th>
            <th scope="col">{t('requestLog.columns.purpose')}</th>
            <th scope="col">{t('requestLog.columns.route')}</th>
            <th scope="col">{t('requestLog.columns.outcome')}</th>
            <th scope="col" className="num">{t('requestLog.columns.tokens')}</th>
            <th scope="col" className="num">{t('requestLog.columns.cost')}</th>
            <th scope="col" className="num wide-only">{t('requestLog.columns.latency')}</th>
            <th scope="col" className="wide-only">{t('requestLog.columns.campaign')}</th>
            <th scope="col" className="wide-only">{t('requestLog.columns.operator')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="request-row" data-id={r.id} data-outcome={r.outcome} data-provider={r.provider ?? ''} data-micros={r.costMicros}>
              <td className="nowrap">
                <button type="button" className="link row-open" aria-label={t('requestLog.open', { time: time(r.ts) })} onClick={(e) => onOpen(r.id, e.currentTarget)}>
                  {time(r.ts)}
                </button>
              </td>
              <td>{t(`purposes.${r.purpose}`)}</td>
              <td>
                {r.provider ? t(`providers.names.${r.provider}`) : none}
                {r.baseModel && <small className="muted block">{r.baseModel}</small>}
                {r.attemptCount > 1 && <small className="muted block">{t('requestLog.attempts', { count: r.attemptCount })}</small>}
              </td>
              <td>
                <span className={`chip outcome-${r.outcome}`}>{t(`playground.outcomes.${r.outcome}`)}</span>
                {r.errorKind && <small className="muted block">{t(`faultKinds.${r.errorKind}`)}</small>}
                {r.servedByFallback && <small className="muted block">{t('playground.fallback')}</small>}
              </td>
              <td className="num">{money.count(r.usage.inputTokens + r.usage.outputTokens)}</td>
              <td className="num">{money.micros(r.costMicros)}</td>
              <td className="num wide-only">{t('units.ms', { value: money.count(r.latencyMs) })}</td>
              <td className="clamp wide-only" title={r.campaignId ?? undefined}>{r.campaignId ?? none}</td>
              <td className="clamp wide-only" title={r.operatorId ?? undefined}>{r.operatorId ?? none}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
