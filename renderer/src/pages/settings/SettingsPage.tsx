import type { ComponentType, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { PageHeading } from '../../components/PageHeading';
import { keepFocusOnNextNavigation } from '../../routing/focus';
import { isSettingsSection, paths, SETTINGS_SECTIONS, type SettingsSection } from '../../routing/routes';
import { NotFoundPage } from '../NotFoundPage';
import { AboutSettings } from './AboutSettings';
import { AccountsSettings } from './AccountsSettings';
import { AlertChannelsSettings } from './AlertChannelsSettings';
import { GeneralSettings } from './GeneralSettings';
import { ProvidersSettings } from './ProvidersSettings';
import { TeamSettings } from './TeamSettings';

const PANELS: Record<SettingsSection, ComponentType> = {
  general: GeneralSettings,
  providers: ProvidersSettings,
  alerts: AlertChannelsSettings,
  accounts: AccountsSettings,
  team: TeamSettings,
  about: AboutSettings,
};

/** Each section has its own address (/settings, /settings/providers, /settings/alerts, /settings/accounts, /settings/about), so Back and reloads keep it. */
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

  // The WAI-ARIA tabs pattern: one tab stop for the list, arrows (and Home/End) move and open.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = SETTINGS_SECTIONS.indexOf(section);
    const last = SETTINGS_SECTIONS.length - 1;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: last }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const name = SETTINGS_SECTIONS[(to + last + 1) % (last + 1)]!;
    open(name);
    document.getElementById(`settings-tab-${name}`)?.focus();
  };

  return (
    <section aria-labelledby="page-title">
      <PageHeading>{t('settings.title')}</PageHeading>
      <div className="tabs" role="tablist" aria-label={t('settings.sections')} onKeyDown={onKeyDown}>
        {SETTINGS_SECTIONS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`settings-tab-${name}`}
            aria-selected={section === name}
            tabIndex={section === name ? 0 : -1}
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
