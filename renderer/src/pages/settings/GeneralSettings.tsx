import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { type Notice, NoticeView } from '../../components/Notice';
import { LANGUAGES, type Settings, settingsSchema, THEMES } from '../../../../shared/settings';
import { SandboxSwitch } from './SandboxSwitch';
import { TimeZoneField } from './TimeZoneField';

function SettingsForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const saveName = useAct('settings.update');
  const pick = useAct('settings.update');
  // Only the name is a draft, and only once edited: until then it follows the core, whichever window changed it.
  const [nameDraft, setNameDraft] = useState<string>();
  const [notice, setNotice] = useState<Notice>();
  const name = nameDraft ?? settings.operatorName;
  const nameValid = settingsSchema.shape.operatorName.safeParse(name).success;
  // Language and theme apply as soon as they are picked; the select shows the pick until the core
  // answers (held here: the mutation's own state arrives a tick late for a controlled select).
  const [picked, setPicked] = useState<Partial<Settings>>();
  const failed = (error: Parameters<typeof describeError>[1]): Notice => ({ tone: 'error', error, wrap: 'settings.failed' });

  const choose = (patch: Partial<Settings>) => {
    setPicked(patch);
    pick.mutate(patch, {
      onSuccess: () => setNotice(undefined),
      onError: (error) => setNotice(failed(error)),
      onSettled: () => setPicked(undefined),
    });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!nameValid) {
      setNotice({ tone: 'error', key: 'settings.invalid' });
      return;
    }
    saveName.mutate(
      { operatorName: name },
      {
        onSuccess: () => {
          setNameDraft(undefined);
          setNotice({ tone: 'ok', key: 'settings.saved' });
        },
        onError: (error) => setNotice(failed(error)),
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="form">
      <h2>{t('settings.general')}</h2>
      <label htmlFor="operatorName">{t('settings.operatorName')}</label>
      <input
        id="operatorName"
        name="operatorName"
        value={name}
        maxLength={80}
        aria-invalid={!nameValid}
        aria-describedby="operatorName-help"
        onChange={(e) => setNameDraft(e.target.value)}
      />
      <small id="operatorName-help" className={nameValid ? undefined : 'error'}>
        {nameValid ? t('settings.operatorNameHelp') : t('settings.nameRequired')}
      </small>

      <label htmlFor="theme">{t('settings.theme')}</label>
      <select id="theme" value={picked?.theme ?? settings.theme} onChange={(e) => choose({ theme: e.target.value as Settings['theme'] })}>
        {THEMES.map((theme) => (
          <option key={theme} value={theme}>{t(`settings.themes.${theme}`)}</option>
        ))}
      </select>

      <label htmlFor="language">{t('settings.language')}</label>
      <select id="language" value={picked?.language ?? settings.language} onChange={(e) => choose({ language: e.target.value as Settings['language'] })}>
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang}>{t(`settings.languages.${lang}`)}</option>
        ))}
      </select>

      <TimeZoneField zone={settings.timeZone} onError={(error) => setNotice(failed(error))} />

      <div className="actions">
        <button type="submit" disabled={saveName.isPending}>{saveName.isPending ? t('settings.saving') : t('settings.save')}</button>
        {notice && <NoticeView notice={notice} as="span" />}
      </div>
    </form>
  );
}

/** Display name, theme, language and Sandbox mode, as the core has them now. */
export function GeneralSettings() {
  const { t } = useTranslation();
  const { data: settings, error } = useCall('settings.get', {});
  if (error && !settings) return <p className="error" role="alert">{t('settings.failed', { message: describeError(t, error) })}</p>;
  if (!settings) return <p>{t('settings.loading')}</p>;
  return (
    <div className="stack">
      <SettingsForm settings={settings} />
      <SandboxSwitch on={settings.sandboxMode} />
    </div>
  );
}
