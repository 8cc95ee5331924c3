import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { PageHeading } from '../../components/PageHeading';
import { keepFocusOnNextNavigation } from '../../routing/focus';
import { isSettingsSection, paths, SETTINGS_SECTIONS, type SettingsSection } from '../../routing/routes';
import { NotFoundPage } from '../NotFoundPage';
import { AboutSettings } from './AboutSettings';
import { AlertChannelsSettings } from './AlertChannelsSettings';
import { GeneralSettings } from './GeneralSettings';
import { ProvidersSettings } from './ProvidersSettings';

const PANELS: Record<SettingsSection, ComponentType> = {
  general: GeneralSettings,
  providers: ProvidersSettings,
  alerts: AlertChannelsSettings,
  about: AboutSettings,
};

/** Each section has its own address (/settings, /settings/providers, /settings/alerts, /settings/about), so Back and reloads keep it. */
export function SettingsPage({ section = 'general' }: { section?: string }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  if (!isSettingsSection(section)) return <NotFoundPage />;
  const Panel = PANELS[section];

  const open = (name: SettingsSection) => {
    if (name === section) return;
    keepFocusOnNextNavigation();
    navigate(paths.settings(name));
  };

  return (
    <section aria-labelledby="page-title">
      <PageHeading>{t('settings.title')}</PageHeading>
      <div className="tabs" role="tablist" aria-label={t('settings.sections')}>
        {SETTINGS_SECTIONS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`settings-tab-${name}`}
            aria-selected={section === name}
            aria-controls="settings-panel"
            onClick={() => open(name)}
          >
            {t(`settings.tabs.${name}`)}
          </button>
        ))}
      </div>
      <div id="settings-panel" role="tabpanel" aria-labelledby={`settings-tab-${section}`}>
        <Panel />
      </div>
    </section>
  );
}
