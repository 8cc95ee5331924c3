import { useTranslation } from 'react-i18next';
import type { Page } from '../stores/nav';

/** Honest about what is not built yet, and says what will be here. */
export function EmptyPage({ page }: { page: Exclude<Page, 'health' | 'settings' | 'playground'> }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t(`nav.${page}`)}</h1>
      <div className="empty" data-testid="empty-state">
        <strong>{t('empty.notYet')}</strong>
        <p>{t(`empty.${page}`)}</p>
      </div>
    </section>
  );
}
