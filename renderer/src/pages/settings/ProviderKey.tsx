import { type RefObject, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAct } from '../../api/query';
import { type Message, type Notice, useSay } from '../../components/Notice';
import type { ProviderId } from '../../../../shared/ai';

/**
 * The API key goes one way: typed here, saved by the card's one Save, kept by main's secret store
 * and never sent back. The input is uncontrolled so the key never becomes a DOM attribute or form
 * state; the card reads it from `input` when saving or testing, and empties it once saved. The
 * "Key set" chip follows the core's providers.changed event, in this window and every other.
 */
export function ProviderKey({ id, keySet, input, onTyped, error }: {
  id: ProviderId;
  keySet: boolean;
  input: RefObject<HTMLInputElement | null>;
  onTyped(typed: boolean): void;
  error?: Message | undefined;
}) {
  const { t } = useTranslation();
  const say = useSay();
  const [notice, setNotice] = useState<Notice>();
  const clearKey = useAct('providers.clearKey');
  const inputId = `${id}-apiKey`;
  const shown = error ?? notice;
  const note = shown && say(shown);

  const remove = () =>
    clearKey.mutate(
      { provider: id },
      {
        onSuccess: () => setNotice({ tone: 'ok', key: 'providers.keyRemoved' }),
        onError: (e) => setNotice({ tone: 'error', error: e, wrap: 'providers.keyFailed' }),
      },
    );

  return (
    <div className="key-form">
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
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? `${inputId}-note` : undefined}
        placeholder={keySet ? t('providers.replaceKey') : t('providers.pasteKey')}
        onChange={(e) => onTyped(e.target.value.length > 0)}
      />
      <div className="actions">
        <button type="button" className="secondary" disabled={clearKey.isPending || !keySet} onClick={remove}>
          {t('providers.removeKey')}
        </button>
      </div>
      {note && (
        <p id={`${inputId}-note`} role={error || notice?.tone === 'error' ? 'alert' : 'status'} className={error ? 'error' : notice?.tone}>{note}</p>
      )}
    </div>
  );
}
