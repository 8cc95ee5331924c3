import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../../shared/contract/sync';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { relativeFrom } from '../campaign/relative';

/** The backlog grows between passes without an event: the figures are read again at this pace. */
const REFRESH_MS = 10_000;

function lagText(ms: number, locale: string): string {
  return relativeFrom(-ms, 0, locale);
}

/**
 * How this seat's ledger is reaching the team: last sync, what waits and since when, the last
 * problem in the operator's words, and Sync now. `hideWhenOff` keeps it off the Costs page of a
 * seat without a team; Settings → Team shows it always.
 */
export function SyncCard({ hideWhenOff = false }: { hideWhenOff?: boolean }) {
  const { t, i18n } = useTranslation();
  const status = useCall('sync.status', {}, { refetchInterval: REFRESH_MS });
  const now = useAct('sync.now');
  const data: SyncStatus | undefined = status.data;

  // Back online: the relay would notice within its backoff; asking at once shortens the wait.
  useEffect(() => {
    const onOnline = () => {
      if (data && data.state !== 'off') now.mutate({});
    };
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [data, now]);

  const error = status.error ?? now.error;
  if (!data && !error) return null;
  if (hideWhenOff && data?.state === 'off') return null;

  return (
    <section className="card" aria-labelledby="sync-title" data-testid="sync-card">
      <h2 id="sync-title">{t('sync.title')}</h2>
      {error && (
        <p className="error" role="alert">
          {t('sync.failed', { message: describeError(t, error) })}
        </p>
      )}
      {data && (
        <>
          <p role="status" data-testid="sync-state" data-state={data.state}>
            {t(`sync.states.${data.state}`)}
          </p>
          <dl className="facts">
            <dt>{t('sync.lastSync')}</dt>
            <dd data-testid="sync-last">{data.lastSyncAt === null ? t('sync.never') : relativeFrom(data.lastSyncAt, Math.max(status.dataUpdatedAt, data.lastSyncAt), i18n.language)}</dd>
            <dt>{t('sync.backlog')}</dt>
            <dd data-testid="sync-backlog">{t('sync.rows', { count: data.backlogRows, formatted: new Intl.NumberFormat(i18n.language).format(data.backlogRows) })}</dd>
            {data.backlogAlerts > 0 && (
              <>
                <dt>{t('sync.alertsBacklog')}</dt>
                <dd data-testid="sync-backlog-alerts">{t('sync.alerts', { count: data.backlogAlerts, formatted: new Intl.NumberFormat(i18n.language).format(data.backlogAlerts) })}</dd>
              </>
            )}
            <dt>{t('sync.lag')}</dt>
            <dd data-testid="sync-lag">{data.oldestPendingAgeMs === null ? t('sync.noLag') : lagText(data.oldestPendingAgeMs, i18n.language)}</dd>
          </dl>
          {data.lastError && (
            <p className="notice warn" data-testid="sync-error" data-code={data.lastError.code}>
              {t(`sync.errors.${data.lastError.code}`)}
            </p>
          )}
          {data.state !== 'off' && (
            <p className="actions">
              <button type="button" onClick={() => now.mutate({})} disabled={now.isPending} data-testid="sync-now">
                {t('sync.now')}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
