import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { PageHeading } from '../../components/PageHeading';
import { Dashboard } from './Dashboard';
import { FirstRun } from './FirstRun';

/**
 * The landing page. On a first run (no live provider set up, demo never explored) it offers the
 * two ways in; afterwards it is the operator's dashboard.
 */
export function HomePage() {
  const { t } = useTranslation();
  const demo = useCall('demo.state', {});
  const settings = useCall('settings.get', {});
  const error = demo.error ?? settings.error;

  return (
    <section aria-labelledby="page-title" className="stack home-page">
      <PageHeading>{t('home.title')}</PageHeading>
      {error && <p className="error" role="alert">{t('home.error', { message: describeError(t, error) })}</p>}
      {!error && (demo.isPending || settings.isPending) && <p>{t('home.loading')}</p>}
      {demo.data && settings.data && (demo.data.firstRun ? <FirstRun /> : <Dashboard sandbox={settings.data.sandboxMode} seeded={demo.data.seededAt !== null} liveConfigured={demo.data.liveProviderConfigured} />)}
    </section>
  );
}
