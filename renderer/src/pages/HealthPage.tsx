import { useTranslation } from 'react-i18next';
import { describeError } from '../api/errors';
import { useMethod } from '../api/hooks';
import { formatBytes, formatDuration } from './format';
import { OrchestratorMetrics } from './health/OrchestratorMetrics';
import { ProvidersHealth } from './health/ProvidersHealth';

const REFRESH_MS = 2000;

export function HealthPage() {
  const { t, i18n } = useTranslation();
  const { data, error, loading } = useMethod('health.get', {}, REFRESH_MS);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('health.title')}</h1>
      {error && <p className="error" role="alert">{t('health.error', { message: describeError(t, error) })}</p>}
      {loading && !data && <p>{t('health.loading')}</p>}
      {data && (
        <dl className="facts" data-testid="health">
          <dt>{t('health.status')}</dt>
          <dd data-testid="health-status" className={`pill ${data.status}`}>{t(`health.statusValue.${data.status}`)}</dd>
          <dt>{t('health.database')}</dt>
          <dd data-testid="health-db">{data.db.open ? t('health.dbOpen') : t('health.dbClosed')}</dd>
          <dt>{t('health.schemaVersion')}</dt>
          <dd data-testid="health-schema">{t('health.schemaOf', { version: data.db.schemaVersion, latest: data.db.latestSchemaVersion })}</dd>
          <dt>{t('health.journalMode')}</dt>
          <dd>{data.db.journalMode.toUpperCase()}</dd>
          <dt>{t('health.dbFile')}</dt>
          <dd><code>{data.db.path}</code></dd>
          <dt>{t('health.dbSize')}</dt>
          <dd>{formatBytes(t, data.db.sizeBytes, i18n.language)}</dd>
          <dt>{t('health.dataDir')}</dt>
          <dd><code>{data.dataDir}</code></dd>
          <dt>{t('health.appVersion')}</dt>
          <dd>{data.appVersion}</dd>
          <dt>{t('health.uptime')}</dt>
          <dd>{formatDuration(t, data.uptimeMs)}</dd>
        </dl>
      )}
      {data && <ProvidersHealth providers={data.providers} sandboxMode={data.sandboxMode} />}
      <OrchestratorMetrics />
    </section>
  );
}
