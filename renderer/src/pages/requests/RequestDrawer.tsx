import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { useMoney } from '../../lib/money';
import { AttemptsTable } from '../playground/AttemptsTable';
import { useRequestTime } from './time';

/**
 * One request in full, in a modal side panel: the browser's own modal dialog keeps focus inside
 * and closes on Escape; the page puts focus back on the row that opened it.
 */
export function RequestDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const time = useRequestTime();
  const ref = useRef<HTMLDialogElement>(null);
  const { data, error, isPending } = useCall('requests.get', { id });

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const none = t('requestLog.none');
  return (
    // Escape fires `cancel`; the page closes the drawer, which restores focus.
    <dialog ref={ref} className="drawer" aria-labelledby="request-drawer-title" data-testid="request-drawer" onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <div className="drawer-head">
        <h2 id="request-drawer-title">{t('requestLog.detail.title')}</h2>
        <button type="button" className="secondary" onClick={onClose}>{t('requestLog.detail.close')}</button>
      </div>
      {error && <p className="error" role="alert">{describeError(t, error)}</p>}
      {isPending && !error && <p>{t('requestLog.loading')}</p>}
      {data === null && <p className="muted">{t('requestLog.detail.gone')}</p>}
      {data && (
        <>
          <div className="chips">
            <span className={`chip outcome-${data.outcome}`} data-testid="drawer-outcome">{t(`playground.outcomes.${data.outcome}`)}</span>
            {data.servedByFallback && <span className="chip warn">{t('playground.fallback')}</span>}
            {data.downgraded && <span className="chip warn">{t('playground.downgraded')}</span>}
          </div>
          <dl className="facts compact drawer-facts">
            <dt>{t('requestLog.detail.id')}</dt>
            <dd><code data-testid="drawer-id">{data.id}</code></dd>
            <dt>{t('requestLog.columns.time')}</dt>
            <dd>{time(data.ts)}</dd>
            <dt>{t('requestLog.columns.purpose')}</dt>
            <dd>{t(`purposes.${data.purpose}`)} · {t(`modelClasses.${data.modelClass}`)}</dd>
            <dt>{t('requestLog.columns.route')}</dt>
            <dd>{data.provider ? t('playground.servedByValue', { provider: t(`providers.names.${data.provider}`), deployment: data.deployment ?? none, baseModel: data.baseModel ?? none }) : t('playground.nobody')}</dd>
            {data.errorKind && (
              <>
                <dt>{t('requestLog.detail.error')}</dt>
                <dd className="error">{t(`faultKinds.${data.errorKind}`)}{data.errorDetail ? ` (${data.errorDetail})` : ''}</dd>
              </>
            )}
            <dt>{t('playground.tokens')}</dt>
            <dd>{t('playground.tokensValue', { input: money.count(data.usage.inputTokens), cached: money.count(data.usage.cachedInputTokens), output: money.count(data.usage.outputTokens) })}</dd>
            <dt>{t('playground.totalCost')}</dt>
            <dd data-testid="drawer-cost" data-micros={data.costMicros}>{money.exact(data.costMicros)}</dd>
            <dt>{t('requestLog.columns.latency')}</dt>
            <dd>{t('units.ms', { value: money.count(data.latencyMs) })}</dd>
            <dt>{t('requestLog.columns.campaign')}</dt>
            <dd>{data.campaignId ?? none}</dd>
            <dt>{t('requestLog.columns.operator')}</dt>
            <dd>{data.operatorId ?? none}</dd>
          </dl>
          <AttemptsTable attempts={data.attempts} skipped={data.skipped} />
        </>
      )}
    </dialog>
  );
}
