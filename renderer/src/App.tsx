import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { queryClient, useCall } from './api/query';
import { AlertToasts } from './components/AlertToasts';
import { ActionsGate, ConnectionBanner } from './components/ConnectionBanner';
import { KeychainNotice } from './components/KeychainNotice';
import { SandboxBanner } from './components/SandboxBanner';
import { applyLanguage } from './i18n';
import { EmptyPage } from './pages/EmptyPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { useNewCampaignShortcut } from './pages/campaigns/newCampaign';
import { useHeadingFocus } from './routing/focus';
import { AlertsPage, CampaignPage, CampaignsPage, ComposerPage, CostsPage, HealthPage, HomePage, LimitsPage, PlaygroundPage, RequestsPage, SettingsPage } from './routing/pages';
import { locationHook, PAGES, pageOf, paths } from './routing/routes';

function useAppliedSettings() {
  const { data: settings } = useCall('settings.get', {});
  useEffect(() => {
    if (!settings) return;
    applyLanguage(settings.language);
    document.documentElement.dataset.theme = settings.theme;
  }, [settings]);
}

function Pages() {
  return (
    <Switch>
      <Route path="/"><HomePage /></Route>
      <Route path="/health"><HealthPage /></Route>
      <Route path="/playground"><PlaygroundPage /></Route>
      <Route path="/settings/:section?">{({ section }) => <SettingsPage section={section} />}</Route>
      <Route path="/campaigns/:id/edit">{({ id }) => <ComposerPage id={id} />}</Route>
      <Route path="/campaigns/:id">{({ id }) => <CampaignPage id={id} />}</Route>
      <Route path="/campaigns"><CampaignsPage /></Route>
      <Route path="/costs"><CostsPage /></Route>
      <Route path="/requests"><RequestsPage /></Route>
      <Route path="/alerts/:id">{({ id }) => <AlertsPage id={id} />}</Route>
      <Route path="/alerts"><AlertsPage /></Route>
      <Route path="/optimization"><EmptyPage page="optimization" /></Route>
      <Route path="/limits"><LimitsPage /></Route>
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
  useNewCampaignShortcut();

  return (
    <div className="frame">
      {/* Not href="#main": under file: the fragment is the route. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('a11y.skipToContent')}
      </a>
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
        <main className="content" id="main" tabIndex={-1}>
          <ConnectionBanner />
          <ActionsGate>
            <KeychainNotice />
            {/* Keyed by page: a page still loading must not leave the last one in the DOM, hidden, heading and all. */}
            <Suspense key={current} fallback={null}>
              <Pages />
            </Suspense>
          </ActionsGate>
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
