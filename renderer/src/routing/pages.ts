import { type ComponentType, lazy } from 'react';

/**
 * Each page's code in its own chunk, fetched on its first visit: the first screen loads only
 * the frame and the page it shows. A page module keeps its named export; this picks it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page declares its own props
function page<K extends string, M extends Record<K, ComponentType<any>>>(load: () => Promise<M>, name: K) {
  loaders.push(load);
  return lazy(async () => ({ default: (await load())[name] }));
}

const loaders: Array<() => Promise<unknown>> = [];

/**
 * Fetches every page's chunk once the first screen is up, so a page first opened while the
 * browser host is down (restarting, say) still renders from what this tab already has: a
 * lazy page whose fetch failed would stay broken until a reload.
 */
export function preloadPages(): void {
  void Promise.allSettled(loaders.map((load) => load())).then((results) => {
    // Observable from outside (tests, support): whether every page is at hand.
    document.documentElement.dataset.pages = results.every((r) => r.status === 'fulfilled') ? 'ready' : 'partial';
  });
}

export const HomePage = page(() => import('../pages/home/HomePage'), 'HomePage');
export const HealthPage = page(() => import('../pages/HealthPage'), 'HealthPage');
export const PlaygroundPage = page(() => import('../pages/playground/PlaygroundPage'), 'PlaygroundPage');
export const SettingsPage = page(() => import('../pages/settings/SettingsPage'), 'SettingsPage');
export const CampaignPage = page(() => import('../pages/campaign/CampaignPage'), 'CampaignPage');
export const CampaignsPage = page(() => import('../pages/campaigns/CampaignsPage'), 'CampaignsPage');
export const ComposerPage = page(() => import('../pages/campaigns/ComposerPage'), 'ComposerPage');
export const CostsPage = page(() => import('../pages/costs/CostsPage'), 'CostsPage');
export const RequestsPage = page(() => import('../pages/requests/RequestsPage'), 'RequestsPage');
export const AlertsPage = page(() => import('../pages/alerts/AlertsPage'), 'AlertsPage');
export const LimitsPage = page(() => import('../pages/limits/LimitsPage'), 'LimitsPage');
