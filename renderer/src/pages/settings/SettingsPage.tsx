import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useNav } from '../../stores/nav';
import { useSettings } from '../../stores/settings';
import { GeneralSettings } from './GeneralSettings';
import { ProvidersSettings } from './ProvidersSettings';

const TABS = ['general', 'providers'] as const;
type Tab = (typeof TABS)[number];

export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useSettings((s) => s.settings);
  const loadError = useSettings((s) => s.loadError);
  const section = useNav((s) => s.section);
  const go = useNav((s) => s.go);
  const tab: Tab = (TABS as readonly string[]).includes(section ?? '') ? (section as Tab) : 'general';

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('settings.title')}</h1>
      <div className="tabs" role="tablist" aria-label={t('settings.sections')}>
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`settings-tab-${name}`}
            aria-selected={tab === name}
            aria-controls="settings-panel"
            onClick={() => go('settings', name === 'general' ? undefined : name)}
          >
            {t(`settings.tabs.${name}`)}
          </button>
        ))}
      </div>
      <div id="settings-panel" role="tabpanel" aria-labelledby={`settings-tab-${tab}`}>
        {loadError && <p className="error" role="alert">{t('settings.failed', { message: describeError(t, loadError) })}</p>}
        {!settings && !loadError && <p>{t('settings.loading')}</p>}
        {/* The draft starts from the settings first loaded; later pushes update the store, not the draft. */}
        {settings && tab === 'general' && <GeneralSettings initial={settings} />}
        {settings && tab === 'providers' && <ProvidersSettings sandboxMode={settings.sandboxMode} />}
      </div>
    </section>
  );
}
