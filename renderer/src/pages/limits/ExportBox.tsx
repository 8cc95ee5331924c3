import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../shared/accounts';
import type { AppErrorData } from '../../../../shared/result';
import type { Send } from '../../../../shared/sending';
import { describeError } from '../../api/errors';
import { call, useAct } from '../../api/query';
import { type Message, useSay } from '../../components/Notice';
import { downloadText } from '../costs/download';

/**
 * An export account sends nothing itself: its queued messages are handed to the operator (a CSV
 * file or the clipboard) and count as sent only once the operator says so. Handed-out sends wait
 * in `sending`, so after a reload they are still here to confirm.
 */
export function ExportBox({ account, handed }: { account: Account; handed: Send[] }) {
  const { t } = useTranslation();
  const say = useSay();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorData | null>(null);
  const [done, setDone] = useState<Message | null>(null);
  const [text, setText] = useState<string | null>(null);
  const confirm = useAct('sends.confirm');

  const hand = async (format: 'csv' | 'text') => {
    setBusy(true);
    setError(null);
    setDone(null);
    setText(null);
    try {
      const out = await call('sends.export', { accountId: account.id, format });
      if (out.ids.length === 0) setDone({ key: 'limits.export.nothing' });
      else if (format === 'csv') {
        downloadText(`huntaze-${account.platformAccountId}-messages.csv`, out.content);
        setDone({ key: 'limits.export.downloaded', values: { count: out.ids.length } });
      } else {
        // Shown as well as copied: the sends are handed out now, so a clipboard refusal must not lose them.
        setText(out.content);
        // No clipboard at all (an insecure origin) reads the same as one that refuses.
        const copied = await Promise.resolve()
          .then(() => navigator.clipboard.writeText(out.content))
          .then(
            () => true,
            () => false,
          );
        setDone({ key: copied ? 'limits.export.copied' : 'limits.export.clipboardFailed', values: { count: out.ids.length } });
      }
    } catch (err) {
      setError(err as AppErrorData);
    } finally {
      setBusy(false);
    }
  };
  const ids = handed.map((s) => s.id);
  const failure = error ?? confirm.error;
  const settle = (sent: boolean) =>
    confirm.mutate({ ids, sent }, {
      onSuccess: () => {
        setDone(null);
        setText(null);
      },
    });

  return (
    <div className="notice export-box" data-testid="export-box">
      <p>{t('limits.export.help')}</p>
      <div className="actions inline-actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => void hand('csv')}>{t('limits.export.csv')}</button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void hand('text')}>{t('limits.export.copy')}</button>
      </div>
      {done && <p role="status">{say(done)}</p>}
      {text !== null && (
        <div className="field">
          <label htmlFor={`export-text-${account.id}`}>{t('limits.export.textLabel')}</label>
          <textarea id={`export-text-${account.id}`} readOnly rows={4} value={text} />
        </div>
      )}
      {ids.length > 0 && (
        <>
          <p>{t('limits.export.waiting', { count: ids.length })}</p>
          <div className="actions inline-actions">
            <button type="button" disabled={confirm.isPending} onClick={() => settle(true)}>{t('limits.export.sent')}</button>
            <button type="button" className="secondary" disabled={confirm.isPending} onClick={() => settle(false)}>{t('limits.export.notSent')}</button>
          </div>
        </>
      )}
      {failure && <p role="alert" className="error">{describeError(t, failure)}</p>}
    </div>
  );
}
