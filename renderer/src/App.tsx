import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { useConnection } from './api/client';
import { queryClient, useCall } from './api/query';
import { AlertToasts } from './components/AlertToasts';
import { SandboxBanner } from './components/SandboxBanner';
import { applyLanguage } from './i18n';
import { AlertsPage } from './pages/alerts/AlertsPage';
import { CampaignPage } from './pages/CampaignPage';
import { CostsPage } from './pages/costs/CostsPage';
import { EmptyPage } from './pages/EmptyPage';
import { HealthPage } from './pages/HealthPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PlaygroundPage } from './pages/playground/PlaygroundPage';
import { RequestsPage } from './pages/requests/RequestsPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { useHeadingFocus } from './routing/focus';
import { locationHook, PAGES, pageOf, paths } from './routing/routes';

function useAppliedSettings() {
  const { data: settings } = useCall('settings.get', {});
  useEffect(() => {
    if (!settings) return;
    applyLanguage(settings.language);
    document.documentElement.dataset.theme = settings.theme;
  }, [settings]);
}

function ConnectionBanner() {
  const { t } = useTranslation();
  const state = useConnection((s) => s.state);
  if (state === 'open') return null;
  return (
    <div className="banner" role="status" data-testid="connection-banner">
      {t(`app.connection.${state}`)}
    </div>
  );
}

function Pages() {
  return (
    <Switch>
      <Route path="/"><HealthPage /></Route>
      <Route path="/health"><HealthPage /></Route>
      <Route path="/playground"><PlaygroundPage /></Route>
      <Route path="/settings/:section?">{({ section }) => <SettingsPage section={section} />}</Route>
      <Route path="/campaigns/:id">{({ id }) => <CampaignPage id={id} />}</Route>
      <Route path="/campaigns"><EmptyPage page="campaigns" /></Route>
      <Route path="/costs"><CostsPage /></Route>
      <Route path="/requests"><RequestsPage /></Route>
      <Route path="/alerts/:id">{({ id }) => <AlertsPage id={id} />}</Route>
      <Route path="/alerts"><AlertsPage /></Route>
      <Route path="/optimization"><EmptyPage page="optimization" /></Route>
      <Route path="/limits"><EmptyPage page="limits" /></Route>
      <Route><NotFoundPage /></Route>
    </Switch>
  );
}

function Frame() {
  const { t } = useTranslation();
  const [location] = useLocation();
  const current = pageOf(location);
  useAppliedSettings();
  useHeadingFocus(location);

  return (
    <div className="frame">
      <SandboxBanner />
      <div className="shell">
        <nav className="sidebar" aria-label={t('nav.label')}>
          <div className="brand">
            <strong>{t('app.name')}</strong>
            <span>{t('app.tagline')}</span>
          </div>
          <ul>
            {PAGES.map((p) => {
              const href = paths.page(p);
              return (
                <li key={p}>
                  {/* Clicking the page already shown adds no history entry for Back to walk through. */}
                  <Link href={href} replace={location === href} aria-current={p === current ? 'page' : undefined}>
                    {t(`nav.${p}`)}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <main className="content">
          <ConnectionBanner />
          <Pages />
          <AlertToasts />
        </main>
      </div>
    </div>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Router hook={locationHook}>
        <Frame />
      </Router>
    </QueryClientProvider>
  );
}
