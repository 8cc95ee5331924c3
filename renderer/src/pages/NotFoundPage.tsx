import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { PageHeading } from '../components/PageHeading';
import { DEFAULT_PAGE, paths } from '../routing/routes';

/** A stale bookmark or a mistyped address: say so and offer the way back. */
export function NotFoundPage() {
  const { t } = useTranslation();
  const [location] = useLocation();
  return (
    <section aria-labelledby="page-title">
      <PageHeading>{t('notFound.title')}</PageHeading>
      <div className="empty" data-testid="not-found">
        <p>{t('notFound.body', { path: location })}</p>
        <Link href={paths.page(DEFAULT_PAGE)}>{t('notFound.back', { page: t(`nav.${DEFAULT_PAGE}`) })}</Link>
      </div>
    </section>
  );
}
