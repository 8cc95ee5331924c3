import { useTranslation } from 'react-i18next';
import { PageHeading } from '../components/PageHeading';
import type { Page } from '../routing/routes';

/** Honest about what is not built yet, and says what will be here. */
export function EmptyPage({ page }: { page: Exclude<Page, 'health' | 'settings' | 'playground'> }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="page-title">
      <PageHeading>{t(`nav.${page}`)}</PageHeading>
      <div className="empty" data-testid="empty-state">
        <strong>{t('empty.notYet')}</strong>
        <p>{t(`empty.${page}`)}</p>
      </div>
    </section>
  );
}
