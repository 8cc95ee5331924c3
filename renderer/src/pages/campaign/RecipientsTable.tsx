import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, memo, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecipientRow } from '../../../../shared/campaigns';
import { describeError } from '../../api/errors';
import type { RecipientPages } from './recipientPages';

/** Fixed: the virtualizer places rows by index alone, nothing is measured while scrolling. */
export const ROW_PX = 40;
const HEAD_PX = 36;
const VARIANT_LETTERS = ['A', 'B', 'C', 'D'];

function StatusCell({ row }: { row: RecipientRow }) {
  const { t } = useTranslation();
  const word = t(`campaign.recipientStatus.${row.status}`);
  if (row.status === 'blocked' && row.reason) return <>{t('campaign.blockedBy', { word: row.reason })}</>;
  if (row.status === 'failed' && row.reason) return <>{`${word}: ${t(`limits.reasons.${row.reason}`, { defaultValue: row.reason })}`}</>;
  return <>{word}</>;
}

function Source({ row, variants }: { row: RecipientRow; variants: boolean }) {
  const { t } = useTranslation();
  if (!row.source) return <>—</>;
  const word = t(`campaign.source.${row.source}`);
  return <>{variants && row.variant !== null ? t('campaign.source.variant', { source: word, letter: VARIANT_LETTERS[row.variant] }) : word}</>;
}

interface RowProps {
  index: number;
  /** Pixels from the top of the body. */
  top: number;
  row: RecipientRow | undefined;
  active: boolean;
  variants: boolean;
  time: Intl.DateTimeFormat;
  onFocus(index: number): void;
}

/**
 * One row; memoized, so a scroll step renders only the rows that came into view (a row that
 * stays keeps its element and just moves): the frame budget goes to layout, not to React.
 */
const Row = memo(function Row({ index, top, row, active, variants, time, onFocus }: RowProps) {
  const { t } = useTranslation();
  const style = { transform: `translateY(${top}px)` };
  if (!row) {
    return (
      <div role="row" aria-rowindex={index + 2} aria-busy="true" className="rt-row rt-placeholder" style={style} data-index={index} tabIndex={-1}>
        <span role="cell" className="visually-hidden">{t('campaign.table.loadingRow')}</span>
        <span role="cell" />
        <span role="cell" />
        <span role="cell" />
        <span role="cell" />
      </div>
    );
  }
  const name = row.fanDisplayName ?? row.fanName;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={active ? `rt-row status-${row.status} active` : `rt-row status-${row.status}`}
      style={style}
      data-index={index}
      data-fan={row.fanId}
      data-status={row.status}
      data-source={row.source ?? undefined}
      data-testid="recipient-row"
      tabIndex={-1}
      onFocus={() => onFocus(index)}
    >
      <span role="cell" className="rt-fan">
        {name && <strong>{name}</strong>}
        <small>{row.fanId}</small>
      </span>
      <span role="cell" className="rt-status"><StatusCell row={row} /></span>
      <span role="cell" className="rt-text" title={row.text ?? undefined}>{row.text ?? '—'}</span>
      <span role="cell"><Source row={row} variants={variants} /></span>
      <span role="cell" className="muted">{time.format(row.updatedAt)}</span>
    </div>
  );
});

/**
 * The per-recipient table: a virtual list with table semantics (aria-rowcount/rowindex say where
 * a row sits among all of them). The table itself scrolls and takes focus; arrow keys, Page
 * Up/Down, Home and End move a roving focus row by row, each row showing its message in full below.
 */
export function RecipientsTable({ pages, variants, filtered }: { pages: RecipientPages; variants: boolean; filtered: boolean }) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  // Only the table follows row loads: the rest of the page does not re-render as pages arrive.
  useSyncExternalStore(pages.subscribe, pages.snapshot);
  const total = pages.total ?? 0;
  const [active, setActive] = useState<number | null>(null);
  // The React Compiler skips this component (the virtualizer's functions change identity each render): wanted, it re-renders per scroll frame.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 10, paddingStart: HEAD_PX, scrollPaddingStart: HEAD_PX });
  const items = virtual.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (items.length > 0) pages.want(first, last);
  }, [pages, first, last, items.length]);
  useEffect(() => {
    if (active === null) return;
    scroller.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.focus({ preventScroll: true });
  }, [active, first, last]);

  const time = useMemo(() => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' }), [i18n.language]);
  const move = (to: number) => {
    const next = Math.max(0, Math.min(total - 1, to));
    setActive(next);
    virtual.scrollToIndex(next, { align: 'auto' });
  };
  const onKey = (e: KeyboardEvent) => {
    if (total === 0) return;
    const screen = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_PX * 10) / ROW_PX) - 2);
    const at = active ?? first;
    const keys: Record<string, number> = { ArrowDown: active === null ? first : at + 1, ArrowUp: at - 1, PageDown: at + screen, PageUp: at - screen, Home: 0, End: total - 1 };
    if (!(e.key in keys)) return;
    e.preventDefault();
    move(keys[e.key]!);
  };

  if (pages.total === null) {
    return pages.error ? <p className="error" role="alert">{describeError(t, pages.error)}</p> : <p className="muted">{t('campaign.table.loading')}</p>;
  }
  if (total === 0) {
    return (
      <div className="empty" data-testid="recipients-empty">
        <p>{filtered ? t('campaign.table.emptyFiltered') : t('campaign.table.empty')}</p>
      </div>
    );
  }
  const focused = active === null ? undefined : pages.row(active);
  return (
    <>
      <div
        ref={scroller}
        className="rt"
        role="table"
        tabIndex={0}
        aria-label={t('campaign.table.label')}
        aria-describedby="rt-help"
        aria-rowcount={total + 1}
        aria-colcount={5}
        onKeyDown={onKey}
        data-testid="recipients-table"
        data-total={total}
      >
        <div role="rowgroup" className="rt-head">
          <div role="row" aria-rowindex={1} className="rt-row">
            <span role="columnheader">{t('campaign.table.fan')}</span>
            <span role="columnheader">{t('campaign.table.status')}</span>
            <span role="columnheader">{t('campaign.table.message')}</span>
            <span role="columnheader">{t('campaign.table.source')}</span>
            <span role="columnheader">{t('campaign.table.updated')}</span>
          </div>
        </div>
        <div role="rowgroup" className="rt-body" style={{ height: virtual.getTotalSize() - HEAD_PX }}>
          {items.map((item) => (
            <Row key={item.key} index={item.index} top={item.start - HEAD_PX} row={pages.row(item.index)} active={active === item.index} variants={variants} time={time} onFocus={setActive} />
          ))}
        </div>
      </div>
      <p id="rt-help" className="muted rt-help">{t('campaign.table.help')}</p>
      {focused && (
        <div className="notice rt-detail" data-testid="recipient-detail" aria-live="polite">
          <strong>{focused.fanDisplayName ?? focused.fanName ?? focused.fanId}</strong>
          <p>{focused.text ?? t('campaign.table.noText')}</p>
        </div>
      )}
    </>
  );
}
