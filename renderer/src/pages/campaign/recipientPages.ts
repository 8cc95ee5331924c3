import { useEffect, useMemo } from 'react';
import type { RecipientRow, RecipientRows, RecipientStatus } from '../../../../shared/campaigns';
import type { AppErrorData } from '../../../../shared/result';
import { call } from '../../api/query';

/** Rows per request: a screen is ~20 rows, so one page covers several screens and a fling asks a few. */
export const PAGE_ROWS = 200;
/** Pages kept in memory; the least recently asked are dropped, so 50,000 rows never sit in the tab at once. */
const KEEP_PAGES = 24;

type Fetch = (offset: number, limit: number) => Promise<RecipientRows>;

/**
 * A window over the campaign's recipients for a virtual list: rows by index, fetched a page at a
 * time as the view asks and cached (LRU). `refresh()` marks every page stale without dropping it:
 * the rows on screen stay until their new values arrive, so live updates never flash placeholders.
 */
export class RecipientPages {
  private readonly pages = new Map<number, { rows: RecipientRow[]; epoch: number }>();
  private readonly loading = new Map<number, number>();
  private epoch = 0;
  /** The rows the view last asked for: a refresh reloads them at once. */
  private wanted: [number, number] = [0, 0];
  private listeners = new Set<() => void>();
  private version = 0;
  total: number | null = null;
  error: AppErrorData | null = null;

  constructor(private readonly fetch: Fetch) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = () => this.version;

  private changed() {
    this.version++;
    for (const l of this.listeners) l();
  }

  row(index: number): RecipientRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_ROWS))?.rows[index % PAGE_ROWS];
  }

  /** Asks for the pages holding rows `from`..`to` that are missing or stale. */
  want(from: number, to: number): void {
    this.wanted = [from, to];
    const last = this.total === null ? Math.floor(from / PAGE_ROWS) : Math.floor(Math.max(0, Math.min(to, this.total - 1)) / PAGE_ROWS);
    for (let p = Math.floor(Math.max(0, from) / PAGE_ROWS); p <= last; p++) {
      const have = this.pages.get(p);
      if (have) {
        // Touched: moves to the young end of the LRU order.
        this.pages.delete(p);
        this.pages.set(p, have);
      }
      if ((have && have.epoch === this.epoch) || this.loading.get(p) === this.epoch) continue;
      this.load(p);
    }
  }

  refresh(): void {
    this.epoch++;
    this.want(...this.wanted);
  }

  private load(p: number) {
    const epoch = this.epoch;
    this.loading.set(p, epoch);
    this.fetch(p * PAGE_ROWS, PAGE_ROWS).then(
      (reply) => {
        if (this.loading.get(p) === epoch) this.loading.delete(p);
        const have = this.pages.get(p);
        if (have && have.epoch > epoch) return;
        this.pages.delete(p);
        this.pages.set(p, { rows: reply.items, epoch });
        while (this.pages.size > KEEP_PAGES) this.pages.delete(this.pages.keys().next().value!);
        this.total = reply.total;
        this.error = null;
        this.changed();
      },
      (error: AppErrorData) => {
        if (this.loading.get(p) === epoch) this.loading.delete(p);
        this.error = error;
        this.changed();
      },
    );
  }
}

/** One window per campaign and filter; a new filter starts from a new window (its positions differ). */
export function useRecipientPages(id: string, statuses: readonly RecipientStatus[]): RecipientPages {
  const key = statuses.join(',');
  const pages = useMemo(
    () => new RecipientPages((offset, limit) => call('campaigns.recipients', { id, statuses: key === '' ? undefined : (key.split(',') as RecipientStatus[]), offset, limit })),
    [id, key],
  );
  // The first page tells the total, which sizes the list.
  useEffect(() => pages.want(0, 0), [pages]);
  return pages;
}
