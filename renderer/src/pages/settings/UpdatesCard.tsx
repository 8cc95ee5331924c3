import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { UPDATE_CHANNELS, type UpdateChannel, type UpdateStatus } from '../../../../shared/updates';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { formatBytes } from '../format';

/** The updater's state in the operator's words. */
function describeState(t: TFunction, status: UpdateStatus, locale: string): string {
  const { state } = status;
  switch (state.kind) {
    case 'idle':
      return t('updates.idle');
    case 'checking':
      return t('updates.checking');
    case 'up_to_date':
      return t('updates.upToDate');
    case 'available':
      return t('updates.available', { version: state.version });
    case 'downloading':
      return t('updates.downloading', {
        version: state.version,
        percent: Math.floor(state.percent),
        done: formatBytes(t, state.bytes, locale),
        total: formatBytes(t, state.total, locale),
      });
    case 'ready':
      return t('updates.ready', { version: state.version });
    case 'error':
      return t(`updates.errors.${state.code}`);
    case 'unsupported':
      return t(`updates.unsupported.${state.reason}`);
  }
}

/**
 * Settings → About: which release line this copy follows and how its update is going. The
 * download runs by itself; the operator only chooses when to restart.
 */
export function UpdatesCard() {
  const { t, i18n } = useTranslation();
  const status = useCall('updates.status', {});
  const check = useAct('updates.check');
  const setChannel = useAct('updates.setChannel');
  const restart = useAct('updates.restart');
  const data = status.data;
  const error = status.error ?? check.error ?? setChannel.error ?? restart.error;
  if (!data && !error) return null;

  const state = data?.state;
  const supported = state !== undefined && state.kind !== 'unsupported';
  const busy = state?.kind === 'checking' || state?.kind === 'available' || state?.kind === 'downloading';
  const checkedAt = data?.checkedAt ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(data.checkedAt) : null;

  return (
    <section className="card" aria-labelledby="updates-title" data-testid="updates-card">
      <h2 id="updates-title">{t('updates.title')}</h2>
      {data && (
        <>
          <p role="status" className={state?.kind === 'error' ? 'notice warn' : undefined} data-testid="update-state" data-state={state?.kind}>
            {describeState(t, data, i18n.language)}
          </p>
          {state?.kind === 'downloading' && (
            <progress max={100} value={state.percent} aria-label={t('updates.progressLabel')} data-testid="update-progress" />
          )}
          {/* electron-updater reports progress once a second: until then the bar only says the download runs. */}
          {state?.kind === 'available' && <progress aria-label={t('updates.progressLabel')} data-testid="update-progress" />}
          {checkedAt && supported && <p className="muted">{t('updates.checkedAt', { time: checkedAt })}</p>}
          {supported && (
            <>
              <div className="field">
                <label htmlFor="update-channel">{t('updates.channel')}</label>
                <select
                  id="update-channel"
                  value={data.channel}
                  aria-describedby="update-channel-help"
                  disabled={setChannel.isPending}
                  onChange={(e) => setChannel.mutate({ channel: e.target.value as UpdateChannel })}
                >
                  {UPDATE_CHANNELS.map((channel) => (
                    <option key={channel} value={channel}>{t(`updates.channels.${channel}`)}</option>
                  ))}
                </select>
                <small id="update-channel-help">{t(`updates.channelHelp.${data.channel}`)}</small>
              </div>
              <div className="actions">
                {restart.data ? (
                  <span role="status">{t('updates.restarting')}</span>
                ) : state?.kind === 'ready' ? (
                  <button type="button" className="primary" disabled={restart.isPending} onClick={() => restart.mutate({})}>
                    {t('updates.restart')}
                  </button>
                ) : (
                  <button type="button" disabled={busy || check.isPending} onClick={() => check.mutate({})}>
                    {t('updates.checkNow')}
                  </button>
                )}
              </div>
            </>
          )}
        </>
      )}
      {error && <p className="error" role="alert">{t('updates.failed', { message: describeError(t, error) })}</p>}
    </section>
  );
}
