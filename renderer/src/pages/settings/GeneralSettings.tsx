import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { LANGUAGES, type Settings, settingsSchema, THEMES } from '../../../../shared/settings';
import { useSettings } from '../../stores/settings';
import { SandboxSwitch } from './SandboxSwitch';

type Notice = { tone: 'ok' | 'error'; text: string } | undefined;

function SettingsForm({ initial }: { initial: Settings }) {
  const { t } = useTranslation();
  const update = useSettings((s) => s.update);
  const [draft, setDraft] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const nameValid = settingsSchema.shape.operatorName.safeParse(draft.operatorName).success;

  // Language and theme apply as soon as they are picked; the name waits for Save.
  const pick = async (patch: Partial<Settings>) => {
    setDraft((d) => ({ ...d, ...patch }));
    const error = await update(patch);
    setNotice(error ? { tone: 'error', text: t('settings.failed', { message: describeError(t, error) }) } : undefined);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!nameValid) {
      setNotice({ tone: 'error', text: t('settings.invalid') });
      return;
    }
    setSaving(true);
    const error = await update({ operatorName: draft.operatorName });
    setSaving(false);
    setNotice(error ? { tone: 'error', text: t('settings.failed', { message: describeError(t, error) }) } : { tone: 'ok', text: t('settings.saved') });
  };

  return (
    <form onSubmit={submit} noValidate className="form">
      <h2>{t('settings.general')}</h2>
      <label htmlFor="operatorName">{t('settings.operatorName')}</label>
      <input
        id="operatorName"
        name="operatorName"
        value={draft.operatorName}
        maxLength={80}
        aria-invalid={!nameValid}
        aria-describedby="operatorName-help"
        onChange={(e) => setDraft((d) => ({ ...d, operatorName: e.target.value }))}
      />
      <small id="operatorName-help" className={nameValid ? undefined : 'error'}>
        {nameValid ? t('settings.operatorNameHelp') : t('settings.nameRequired')}
      </small>

      <label htmlFor="theme">{t('settings.theme')}</label>
      <select id="theme" value={draft.theme} onChange={(e) => void pick({ theme: e.target.value as Settings['theme'] })}>
        {THEMES.map((theme) => (
          <option key={theme} value={theme}>{t(`settings.themes.${theme}`)}</option>
        ))}
      </select>

      <label htmlFor="language">{t('settings.language')}</label>
      <select id="language" value={draft.language} onChange={(e) => void pick({ language: e.target.value as Settings['language'] })}>
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang}>{t(`settings.languages.${lang}`)}</option>
        ))}
      </select>

      <div className="actions">
        <button type="submit" disabled={saving}>{saving ? t('settings.saving') : t('settings.save')}</button>
        {notice && (
          <span role={notice.tone === 'error' ? 'alert' : 'status'} className={notice.tone === 'error' ? 'error' : 'ok'}>
            {notice.text}
          </span>
        )}
      </div>
    </form>
  );
}

/** Display name, theme and language; the draft starts from the settings first loaded. */
export function GeneralSettings({ initial }: { initial: Settings }) {
  return (
    <div className="stack">
      <SettingsForm initial={initial} />
      <SandboxSwitch />
    </div>
  );
}
