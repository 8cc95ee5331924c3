import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import type { ProviderId } from '../../../../shared/ai';
import { api } from '../../api/client';

type Notice = { tone: 'ok' | 'error'; text: string } | undefined;

/**
 * The API key goes one way: typed here, kept by main's secret store, never sent back. The input
 * is uncontrolled so the key never becomes a DOM attribute, and it is emptied once saved.
 */
export function ProviderKey({ id, keySet, onChanged }: { id: ProviderId; keySet: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const inputId = `${id}-apiKey`;

  const done = (ok: boolean, text: string) => {
    setBusy(false);
    setNotice({ tone: ok ? 'ok' : 'error', text });
    if (ok) onChanged();
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const apiKey = input.current?.value ?? '';
    if (apiKey.trim().length < 8) {
      setNotice({ tone: 'error', text: t('providers.keyTooShort') });
      return;
    }
    setBusy(true);
    const result = await api.call('providers.setKey', { provider: id, apiKey });
    if (result.ok && input.current) {
      input.current.value = '';
      setTyped(false);
    }
    done(result.ok, result.ok ? t('providers.keySaved') : t('providers.keyFailed', { message: describeError(t, result.error) }));
  };

  const remove = async () => {
    setBusy(true);
    const result = await api.call('providers.clearKey', { provider: id });
    done(result.ok, result.ok ? t('providers.keyRemoved') : t('providers.keyFailed', { message: describeError(t, result.error) }));
  };

  return (
    <form className="key-form" onSubmit={save} noValidate aria-label={t('providers.keyLabel', { name: t(`providers.names.${id}`) })}>
      <div className="key-head">
        <h3><label htmlFor={inputId}>{t('providers.apiKey')}</label></h3>
        <span className={`chip ${keySet ? 'good' : ''}`} data-testid="key-status">
          {keySet ? t('providers.keySet') : t('providers.noKey')}
        </span>
      </div>
      <input
        ref={input}
        id={inputId}
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder={keySet ? t('providers.replaceKey') : t('providers.pasteKey')}
        onChange={(e) => setTyped(e.target.value.length > 0)}
      />
      <div className="actions">
        <button type="submit" disabled={busy || !typed}>{t('providers.saveKey')}</button>
        <button type="button" className="secondary" disabled={busy || !keySet} onClick={() => void remove()}>
          {t('providers.removeKey')}
        </button>
      </div>
      {notice && (
        <p role={notice.tone === 'error' ? 'alert' : 'status'} className={notice.tone}>{notice.text}</p>
      )}
    </form>
  );
}
