import { useTranslation } from 'react-i18next';
import { describeError } from '../api/errors';
import { useCall } from '../api/query';
import { PageHeading } from '../components/PageHeading';
import { formatBytes, formatDuration } from './format';
import { OrchestratorMetrics } from './health/OrchestratorMetrics';
import { ProvidersHealth } from './health/ProvidersHealth';

const REFRESH_MS = 2000;

export function HealthPage() {
  const { t, i18n } = useTranslation();
  // Uptime and circuit states move on their own: polled, while events refresh the rest at once.
  const { data, error, isPending, dataUpdatedAt } = useCall('health.get', {}, { refetchInterval: REFRESH_MS });

  return (
    <section aria-labelledby="page-title">
      <PageHeading>{t('health.title')}</PageHeading>
      {error && <p className="error" role="alert">{t('health.error', { message: describeError(t, error) })}</p>}
      {isPending && <p>{t('health.loading')}</p>}
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
      {data && <ProvidersHealth providers={data.providers} sandboxMode={data.sandboxMode} receivedAt={dataUpdatedAt} />}
      <OrchestratorMetrics />
    </section>
  );
}
