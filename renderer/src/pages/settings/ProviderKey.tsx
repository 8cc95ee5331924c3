import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useAct } from '../../api/query';
import type { ProviderId } from '../../../../shared/ai';
import type { AppErrorData } from '../../../../shared/result';

type Notice = { tone: 'ok' | 'error'; text: string } | undefined;

/**
 * The API key goes one way: typed here, kept by main's secret store, never sent back. The input
 * is uncontrolled so the key never becomes a DOM attribute, and it is emptied once saved. The
 * "Key set" chip follows the core's providers.changed event, in this window and every other.
 */
export function ProviderKey({ id, keySet }: { id: ProviderId; keySet: boolean }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  // The typed key must not linger in the mutation cache once the core has it (or refused it).
  const setKey = useAct('providers.setKey', { gcTime: 0 });
  const clearKey = useAct('providers.clearKey');
  const busy = setKey.isPending || clearKey.isPending;
  const inputId = `${id}-apiKey`;
  const failed = (error: AppErrorData) => setNotice({ tone: 'error', text: t('providers.keyFailed', { message: describeError(t, error) }) });

  const save = (e: FormEvent) => {
    e.preventDefault();
    const apiKey = input.current?.value ?? '';
    if (apiKey.trim().length < 8) {
      setNotice({ tone: 'error', text: t('providers.keyTooShort') });
      return;
    }
    setKey.mutate(
      { provider: id, apiKey },
      {
        onSuccess: () => {
          if (input.current) input.current.value = '';
          setTyped(false);
          setNotice({ tone: 'ok', text: t('providers.keySaved') });
        },
        onError: failed,
        onSettled: () => setKey.reset(),
      },
    );
  };

  const remove = () =>
    clearKey.mutate({ provider: id }, { onSuccess: () => setNotice({ tone: 'ok', text: t('providers.keyRemoved') }), onError: failed });

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
        <button type="button" className="secondary" disabled={busy || !keySet} onClick={remove}>
          {t('providers.removeKey')}
        </button>
      </div>
      {notice && (
        <p role={notice.tone === 'error' ? 'alert' : 'status'} className={notice.tone}>{notice.text}</p>
      )}
    </form>
  );
}
