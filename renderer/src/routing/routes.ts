import { useBrowserLocation } from 'wouter/use-browser-location';
import { useHashLocation } from 'wouter/use-hash-location';

export const PAGES = ['home', 'campaigns', 'costs', 'requests', 'alerts', 'optimization', 'playground', 'limits', 'health', 'settings'] as const;
export type Page = (typeof PAGES)[number];

/** Shown at `/`: the operator's dashboard, or the first steps on a first run. */
export const DEFAULT_PAGE: Page = 'home';

export const SETTINGS_SECTIONS = ['general', 'providers', 'alerts', 'accounts', 'team', 'about'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export const isSettingsSection = (value: string | undefined): value is SettingsSection =>
  (SETTINGS_SECTIONS as readonly (string | undefined)[]).includes(value);

/** Every path the app links to is built here, so a route and its links cannot drift apart. */
export const paths = {
  page: (page: Page) => (page === DEFAULT_PAGE ? '/' : `/${page}`),
  settings: (section: SettingsSection) => (section === 'general' ? '/settings' : `/settings/${section}`),
  campaign: (id: string) => `/campaigns/${encodeURIComponent(id)}`,
  campaignEdit: (id: string) => `/campaigns/${encodeURIComponent(id)}/edit`,
  alert: (id: string) => `/alerts/${encodeURIComponent(id)}`,
};

/** The page a location belongs to (its first segment), `/` being the default page. */
export function pageOf(location: string): Page | undefined {
  const first = location.split('/')[1] ?? '';
  if (first === '') return DEFAULT_PAGE;
  // The default page lives at `/` only; `/home` is no address of it.
  return first !== DEFAULT_PAGE && (PAGES as readonly string[]).includes(first) ? (first as Page) : undefined;
}

/**
 * The desktop app serves one page (app://huntaze/index.html; file: in development builds of old),
 * with no server to answer a deep path on reload, so its routes live in the fragment; the browser host serves index.html for any path. There the
 * `#token=` fragment is read by api/client.ts when it is first imported, before any route
 * renders, and kept in sessionStorage, so navigations may drop it and reloads still connect.
 */
export const locationHook = window.location.protocol === 'file:' || window.location.protocol === 'app:' ? useHashLocation : useBrowserLocation;
