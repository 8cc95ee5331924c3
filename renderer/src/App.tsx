import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useConnection } from './api/client';
import { applyLanguage } from './i18n';
import { SandboxBanner } from './components/SandboxBanner';
import { EmptyPage } from './pages/EmptyPage';
import { HealthPage } from './pages/HealthPage';
import { PlaygroundPage } from './pages/playground/PlaygroundPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { PAGES, type Page, useNav } from './stores/nav';
import { useSettings } from './stores/settings';

function useAppliedSettings() {
  const settings = useSettings((s) => s.settings);
  const load = useSettings((s) => s.load);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (!settings) return;
    applyLanguage(settings.language);
    document.documentElement.dataset.theme = settings.theme;
  }, [settings]);
}

function PageView({ page }: { page: Page }) {
  switch (page) {
    case 'health':
      return <HealthPage />;
    case 'settings':
      return <SettingsPage />;
    case 'playground':
      return <PlaygroundPage />;
    default:
      return <EmptyPage page={page} />;
  }
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

export function App() {
  const { t } = useTranslation();
  const page = useNav((s) => s.page);
  const go = useNav((s) => s.go);
  useAppliedSettings();

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
            {PAGES.map((p) => (
              <li key={p}>
                <button type="button" aria-current={p === page ? 'page' : undefined} onClick={() => go(p)}>
                  {t(`nav.${p}`)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main className="content">
          <ConnectionBanner />
          <PageView page={page} />
        </main>
      </div>
    </div>
  );
}
