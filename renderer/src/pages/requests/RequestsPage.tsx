import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { RequestFilters } from '../../../../shared/requests';
import { requestFiltersSchema } from '../../../../shared/requests';
import type { AppErrorData } from '../../../../shared/result';
import { describeError } from '../../api/errors';
import { call } from '../../api/query';
import { PageHeading } from '../../components/PageHeading';
import { paths } from '../../routing/routes';
import { downloadText } from '../costs/download';
import { fetchAll, fetchPage, type ListCall } from './fetchPage';
import { RequestDrawer } from './RequestDrawer';
import { type FilterDraft, NO_FILTERS, RequestFiltersForm } from './RequestFiltersForm';
import { requestsCsv } from './requestsCsv';
import { RequestsTable } from './RequestsTable';
import './requests.css';

const PAGE_SIZE = 50;
const list: ListCall = (input) => call('requests.list', input);

/** Blank fields are no filter; what the contract would refuse (too long) is left out rather than sent. */
function applied(draft: FilterDraft): RequestFilters {
  const picked = Object.fromEntries(Object.entries(draft).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
  const parsed = requestFiltersSchema.safeParse(picked);
  return parsed.success ? parsed.data : {};
}

/** Every AI request of the active profile, newest first, filtered, paged, with a drawer per request and a CSV export. */
export function RequestsPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<FilterDraft>(NO_FILTERS);
  // Typing in search asks again once the typing settles, not at every key.
  const filters = applied(useDeferredValue(draft));
  const filtersKey = JSON.stringify(filters);
  // Cursors of the pages before this one, so Newer walks back; reset when the filters change.
  const [trail, setTrail] = useState<{ key: string; cursors: (string | undefined)[] }>({ key: filtersKey, cursors: [undefined] });
  const cursors = trail.key === filtersKey ? trail.cursors : [undefined];
  const before = cursors[cursors.length - 1];
  const input = { before, limit: PAGE_SIZE, filters };
  const page = useQuery<Awaited<ReturnType<typeof fetchPage>>, AppErrorData>({
    queryKey: ['requests.list', input],
    queryFn: () => fetchPage(input, list),
    placeholderData: keepPreviousData,
  });
  const [open, setOpen] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const [exporting, setExporting] = useState<number | null>(null);
  const [exportError, setExportError] = useState<AppErrorData | null>(null);

  // Once the modal drawer is gone (the page behind it is inert while it is open), focus goes back to its row.
  useEffect(() => {
    if (open === null) opener.current?.focus();
  }, [open]);
  const close = () => setOpen(null);
  const older = () => page.data?.nextCursor && setTrail({ key: filtersKey, cursors: [...cursors, page.data.nextCursor] });
  const newer = () => setTrail({ key: filtersKey, cursors: cursors.slice(0, -1) });
  const exportCsv = async () => {
    setExportError(null);
    setExporting(0);
    try {
      const rows = await fetchAll(filters, list, setExporting);
      const csv = requestsCsv(rows, {
        column: (c) => t(`requestLog.csv.${c}`),
        purpose: (p) => t(`purposes.${p}`),
        modelClass: (c) => t(`modelClasses.${c}`),
        outcome: (o) => t(`playground.outcomes.${o}`),
        error: (k) => t(`faultKinds.${k}`),
        yes: t('requestLog.csv.yes'),
        no: t('requestLog.csv.no'),
      });
      downloadText('huntaze-requests.csv', csv);
    } catch (err) {
      setExportError(err as AppErrorData);
    } finally {
      setExporting(null);
    }
  };

  const filtered = filtersKey !== '{}';
  const rows = page.data?.rows ?? [];
  const empty = page.data && rows.length === 0 && cursors.length === 1;
  return (
    <section aria-labelledby="page-title" className="stack requests-page">
      <PageHeading>{t('requestLog.title')}</PageHeading>
      <p className="muted">{t('requestLog.intro')}</p>
      <div className="card">
        <div className="card-head">
          <h2>{t('requestLog.filters.title')}</h2>
          <div className="actions inline-actions">
            {filtered && <button type="button" className="secondary" onClick={() => setDraft(NO_FILTERS)}>{t('requestLog.filters.clear')}</button>}
            <button type="button" className="secondary" onClick={() => void exportCsv()} disabled={exporting !== null || rows.length === 0} aria-busy={exporting !== null}>
              {exporting === null ? t('requestLog.export') : t('requestLog.exporting', { count: exporting })}
            </button>
          </div>
        </div>
        <RequestFiltersForm value={draft} onChange={setDraft} />
      </div>
      {exportError && <p className="error" role="alert">{t('requestLog.exportFailed', { message: describeError(t, exportError) })}</p>}
      {page.error && <p className="error" role="alert">{t('requestLog.error', { message: describeError(t, page.error) })}</p>}
      {page.isPending && !page.error && <p>{t('requestLog.loading')}</p>}
      {empty && !filtered && (
        <div className="empty" data-testid="requests-empty">
          <strong>{t('requestLog.empty.title')}</strong>
          <p>{t('requestLog.empty.body')}</p>
          <p className="actions">
            <Link href={paths.page('playground')}>{t('requestLog.empty.playground')}</Link>
            <Link href={paths.settings('general')}>{t('requestLog.empty.sandbox')}</Link>
          </p>
        </div>
      )}
      {empty && filtered && <p className="muted" data-testid="requests-none">{t('requestLog.noMatch')}</p>}
      {rows.length > 0 && <RequestsTable rows={rows} onOpen={(id, button) => { opener.current = button; setOpen(id); }} />}
      {(cursors.length > 1 || page.data?.nextCursor) && (
        <nav className="pager" aria-label={t('requestLog.pager.label')}>
          <button type="button" className="secondary" onClick={newer} disabled={cursors.length === 1}>{t('requestLog.pager.newer')}</button>
          <span className="muted">{t('requestLog.pager.page', { page: cursors.length })}</span>
          <button type="button" className="secondary" onClick={older} disabled={!page.data?.nextCursor || page.isPlaceholderData}>{t('requestLog.pager.older')}</button>
        </nav>
      )}
      {open && <RequestDrawer id={open} onClose={close} />}
    </section>
  );
}
