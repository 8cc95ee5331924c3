import { create } from 'zustand';

export const PAGES = ['campaigns', 'costs', 'alerts', 'optimization', 'playground', 'limits', 'health', 'settings'] as const;
export type Page = (typeof PAGES)[number];

const SECTION_PARAM = 'section';

const fromPath = (path: string): Page => {
  const name = path.replace(/^\/+/, '').split('/')[0];
  return (PAGES as readonly string[]).includes(name ?? '') ? (name as Page) : 'health';
};

const fromSearch = (search: string): string | undefined => new URLSearchParams(search).get(SECTION_PARAM) ?? undefined;

interface NavState {
  page: Page;
  /** A tab inside the page (e.g. Settings → Providers); pages check it against their own list. */
  section: string | undefined;
  go(page: Page, section?: string): void;
}

/**
 * The page lives in the URL path and its section in the query (both kept by reloads); the
 * fragment is left to the session token. One path segment only: the built assets are relative.
 */
export const useNav = create<NavState>((set) => {
  const file = window.location.protocol === 'file:';
  return {
    page: file ? 'health' : fromPath(window.location.pathname),
    section: file ? undefined : fromSearch(window.location.search),
    go(page, section) {
      if (!file) {
        const query = section ? `?${SECTION_PARAM}=${encodeURIComponent(section)}` : '';
        window.history.replaceState(null, '', `/${page}${query}${window.location.hash}`);
      }
      set({ page, section });
    },
  };
});
