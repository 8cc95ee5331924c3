import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { PageHeading } from '../components/PageHeading';
import { paths } from '../routing/routes';

/** Where an alert's notification, toast, email and Slack message point; until alert history exists it names the id. */
export function AlertPage({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="page-title">
      <PageHeading>{t('alert.title')}</PageHeading>
      <dl className="facts">
        <dt>{t('alert.id')}</dt>
        <dd><code data-testid="alert-id">{id}</code></dd>
      </dl>
      <div className="empty" data-testid="empty-state">
        <strong>{t('empty.notYet')}</strong>
        <p>{t('alert.notYet')}</p>
        <Link href={paths.page('alerts')}>{t('alert.back')}</Link>
      </div>
    </section>
  );
}
