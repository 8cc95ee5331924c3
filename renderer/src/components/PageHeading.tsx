import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { PAGE_HEADING_ID } from '../routing/focus';

/** The page's one h1: focusable from script (not by Tab), and the window's title. */
export function PageHeading({ children }: { children: string }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = t('app.documentTitle', { page: children });
  }, [children, t]);
  return (
    <h1 id={PAGE_HEADING_ID} tabIndex={-1}>
      {children}
    </h1>
  );
}
