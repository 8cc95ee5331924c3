import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData } from '../../../../shared/result';
import { SEND_FAILURE_REASONS } from '../../../../shared/sending';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { FansImport } from './FansImport';
import './fans.css';

/** A platform failure named in words: the code alone says nothing to an operator. */
function fetchError(t: ReturnType<typeof useTranslation>['t'], error: AppErrorData): string {
  const reason = error.params.reason;
  if (error.code === 'fans_fetch_failed' && typeof reason === 'string' && (SEND_FAILURE_REASONS as readonly string[]).includes(reason)) {
    return t('fans.fetch.failed', { reason: t(`fans.fetch.reasons.${reason}`) });
  }
  return describeError(t, error);
}

function FansFetch({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => value.toLocaleString(i18n.language);
  const id = useId();
  const fetch = useAct('audiences.fetch');
  const [received, setReceived] = useState<number | null>(null);
  useEffect(
    () =>
      api.on('audiences.progress', (p) => {
        if (p.accountId === accountId && p.operation === 'fetch') setReceived(p.rows);
      }),
    [accountId],
  );
  return (
    <section className="fans-fetch stack" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('fans.fetch.title')}</h3>
      <p className="muted">{t('fans.fetch.intro')}</p>
      <div className="actions">
        <button
          type="button"
          disabled={fetch.isPending}
          aria-busy={fetch.isPending}
          onClick={() => {
            setReceived(null);
            fetch.mutate({ accountId });
          }}
        >
          {t('fans.fetch.action')}
        </button>
        {fetch.isPending && (
          <>
            <progress aria-label={t('fans.fetch.progressLabel')} />
            <small className="muted" aria-live="polite">
              {t('fans.fetch.received', { count: received ?? 0, formatted: n(received ?? 0) })}
            </small>
          </>
        )}
      </div>
      {fetch.data && (
        <p className="ok" role="status" data-testid="fans-fetch-result">
          {t('fans.fetch.done', { imported: n(fetch.data.imported), updated: n(fetch.data.updated) })}
        </p>
      )}
      {fetch.error && (
        <p className="error" role="alert" data-testid="fans-fetch-error">
          {fetchError(t, fetch.error)}
        </p>
      )}
    </section>
  );
}

/**
 * One creator account's fans: how many, in which built-in segments, and the two ways to fill them
 * (a CSV export, or the platform). Props only, so Settings and the campaign composer both embed it.
 */
export function FansPanel({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { data: counts, error } = useCall('audiences.segments', { accountId });
  const everyone = counts?.find((c) => c.name === 'everyone')?.count;
  return (
    <div className="fans-panel stack" data-testid="fans-panel">
      <section aria-labelledby={`${id}-counts`}>
        <h3 id={`${id}-counts`}>{everyone === undefined ? t('fans.title') : t('fans.count', { count: everyone, formatted: everyone.toLocaleString(i18n.language) })}</h3>
        {error && (
          <p className="error" role="alert">
            {describeError(t, error)}
          </p>
        )}
        {counts && (
          <dl className="fans-segments" data-testid="fans-segments">
            {counts
              .filter((c) => c.name !== 'everyone')
              .map((c) => (
                <div key={c.name} data-segment={c.name}>
                  <dt>{t(`fans.segments.${c.name}`, { defaultValue: c.name })}</dt>
                  <dd>{c.count.toLocaleString(i18n.language)}</dd>
                </div>
              ))}
          </dl>
        )}
      </section>
      <FansImport accountId={accountId} />
      <FansFetch accountId={accountId} />
    </div>
  );
}
