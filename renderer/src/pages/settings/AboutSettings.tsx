import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { UpdatesCard } from './UpdatesCard';

const PLATFORMS: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

/** What support asks first: which app, which version, where it runs, and where its logs are. */
export function AboutSettings() {
  const { t } = useTranslation();
  const info = useCall('app.info', {});
  const logs = useCall('app.logs', {});
  const open = useAct('app.openLogsFolder');
  const error = info.error ?? logs.error;
  // The folder the core reports when asked to open it is the one to show, should it differ.
  const dir = open.data?.dir ?? logs.data?.dir;

  return (
    <div className="stack" data-testid="about-settings">
      {error && <p className="error" role="alert">{t('about.loadFailed', { message: describeError(t, error) })}</p>}
      {info.data && (
        <section className="card" aria-labelledby="about-app-title">
          <h2 id="about-app-title">{t('about.app')}</h2>
          <dl className="facts compact">
            <dt>{t('about.name')}</dt>
            <dd data-testid="about-name">{info.data.productName}</dd>
            <dt>{t('about.version')}</dt>
            <dd data-testid="about-version">{info.data.version}</dd>
            <dt>{t('about.host')}</dt>
            <dd data-testid="about-host">{t(`about.hosts.${info.data.host}`)}</dd>
            <dt>{t('about.platform')}</dt>
            <dd>{PLATFORMS[info.data.platform] ?? info.data.platform}</dd>
          </dl>
        </section>
      )}
      <UpdatesCard />
      {dir && (
        <section className="card" aria-labelledby="about-logs-title">
          <h2 id="about-logs-title">{t('about.logs')}</h2>
          <p className="muted">{t('about.logsHelp')}</p>
          <code className="path" data-testid="logs-dir">{dir}</code>
          <div className="actions">
            <button type="button" disabled={open.isPending} onClick={() => open.mutate({})}>
              {t('about.openLogs')}
            </button>
            {open.data?.opened && <span role="status" className="ok">{t('about.opened')}</span>}
          </div>
          {open.data && !open.data.opened && (
            <p role="status" className="notice warn" data-testid="logs-not-opened">
              {t('about.notOpened')}
            </p>
          )}
          {open.error && <p className="error" role="alert">{t('about.openFailed', { message: describeError(t, open.error) })}</p>}
        </section>
      )}
    </div>
  );
}
