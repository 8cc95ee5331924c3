import { create } from 'zustand';

export const PAGES = ['campaigns', 'costs', 'alerts', 'optimization', 'limits', 'health', 'settings'] as const;
export type Page = (typeof PAGES)[number];

const fromPath = (path: string): Page => {
  const name = path.replace(/^\/+/, '').split('/')[0];
  return (PAGES as readonly string[]).includes(name ?? '') ? (name as Page) : 'health';
};

/** The page lives in the URL path (kept by reloads); the fragment is left to the session token. */
export const useNav = create<{ page: Page; go(page: Page): void }>((set) => ({
  page: window.location.protocol === 'file:' ? 'health' : fromPath(window.location.pathname),
  go(page) {
    if (window.location.protocol !== 'file:') window.history.replaceState(null, '', `/${page}${window.location.hash}`);
    set({ page });
  },
}));
