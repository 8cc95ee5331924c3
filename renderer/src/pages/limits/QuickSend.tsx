import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../shared/accounts';
import type { AppErrorData, Issue } from '../../../../shared/result';
import { QUICK_SEND_JOB } from '../../../../shared/sending';
import { describeError, describeIssue } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { Field } from '../../components/Field';
import { useMoney } from '../../lib/money';

interface Draft {
  accountId: string;
  chatId: string;
  text: string;
  price: string;
}

const RECENT_QUICK = 5;

function RecentQuickSends({ accounts }: { accounts: Account[] }) {
  const { t } = useTranslation();
  const { data } = useCall('sends.list', { jobId: QUICK_SEND_JOB, limit: RECENT_QUICK });
  if (!data?.length) return null;
  const nameOf = (id: string) => accounts.find((a) => a.id === id)?.name ?? id;
  return (
    <div className="quick-recent">
      <h3 id="quick-recent-title">{t('limits.quick.recent')}</h3>
      <ul className="plain" aria-labelledby="quick-recent-title">
        {data.map((s) => (
          <li key={s.id} data-testid="quick-recent" data-state={s.state}>
            <span className={s.state === 'sent' ? 'chip good' : s.state === 'failed' || s.state === 'unknown' ? 'chip bad' : 'chip'}>{t(`limits.states.${s.state}`)}</span>{' '}
            <span>{t('limits.quick.recentLine', { fan: s.chatId, account: nameOf(s.accountId) })}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * One message to one fan through the restricted-words check, the limiter and the queue. The send
 * appears queued at once and its state follows the core's progress events. On a refusal every
 * field keeps what was typed; only a queued send clears the text, ready for the next one.
 */
export function QuickSend({ accounts }: { accounts: Account[] }) {
  const { t } = useTranslation();
  const money = useMoney();
  const [draft, setDraft] = useState<Draft>({ accountId: accounts[0]?.id ?? '', chatId: '', text: '', price: '' });
  const [issues, setIssues] = useState<Issue[]>([]);
  const [failure, setFailure] = useState<AppErrorData>();
  const [restricted, setRestricted] = useState<AppErrorData>();
  const [queued, setQueued] = useState(false);
  // Read here, not by the core: an amount in the operator's locale ("4,99") becomes micro-dollars.
  const [priceError, setPriceError] = useState(false);
  const send = useAct('onlyfans.sendMessage');
  // An account removed since it was picked falls back to the first one left.
  const accountId = accounts.some((a) => a.id === draft.accountId) ? draft.accountId : (accounts[0]?.id ?? '');
  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const errorOf = (field: string) => {
    const issue = issues.find((i) => i.path[0] === field);
    return issue ? describeIssue(t, issue) : undefined;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setIssues([]);
    setFailure(undefined);
    setRestricted(undefined);
    setQueued(false);
    setPriceError(false);
    const priceMicros = draft.price.trim() === '' ? undefined : money.parse(draft.price);
    if (priceMicros === null) {
      setPriceError(true);
      return;
    }
    send.mutate(
      { accountId, chatId: draft.chatId, text: draft.text, ...(priceMicros !== undefined ? { priceMicros } : {}) },
      {
        onSuccess: () => {
          setQueued(true);
          setDraft((d) => ({ ...d, text: '', price: '' }));
        },
        onError: (error: AppErrorData) => {
          if (error.code === 'restricted_word') setRestricted(error);
          else if (error.issues?.length) setIssues(error.issues);
          else setFailure(error);
        },
      },
    );
  };

  const textNote = restricted ? describeError(t, restricted) : errorOf('text');
  return (
    <section className="card quick-send" aria-labelledby="quick-send-title">
      <h2 id="quick-send-title">{t('limits.quick.title')}</h2>
      <div className="quick-layout">
        <form className="stack" onSubmit={submit} noValidate data-testid="quick-send">
          <div className="grid-form three">
            <div className="field">
              <label htmlFor="quick-account">{t('limits.quick.account')}</label>
              <select id="quick-account" value={accountId} onChange={(e) => set('accountId')(e.target.value)} aria-invalid={errorOf('accountId') ? true : undefined}>
                {accounts.map((a) => (
                  <option key={a.id} value={a.id}>{a.name}</option>
                ))}
              </select>
            </div>
            <Field id="quick-chat" label={t('limits.quick.fan')} value={draft.chatId} onChange={set('chatId')} help={t('limits.quick.fanHelp')} error={errorOf('chatId')} autoComplete="off" />
            <Field id="quick-price" label={t('limits.quick.price')} value={draft.price} onChange={set('price')} help={t('limits.quick.priceHelp')} error={priceError ? t('limits.quick.priceInvalid') : errorOf('priceMicros')} inputMode="decimal" autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="quick-text">{t('limits.quick.text')}</label>
            <textarea
              id="quick-text"
              rows={2}
              value={draft.text}
              onChange={(e) => set('text')(e.target.value)}
              aria-invalid={textNote ? true : undefined}
              aria-describedby={textNote ? 'quick-text-note' : undefined}
            />
            {textNote && <small id="quick-text-note" className="error" data-testid="quick-text-error">{textNote}</small>}
          </div>
          <div className="actions">
            <button type="submit" disabled={send.isPending || accountId === ''}>{send.isPending ? t('limits.quick.sending') : t('limits.quick.send')}</button>
            {queued && <span role="status" className="ok">{t('limits.quick.queued')}</span>}
          </div>
          {failure && <p role="alert" className="error">{describeError(t, failure)}</p>}
          {(issues.length > 0 || restricted || priceError) && <p role="alert" className="error">{restricted ? t('limits.quick.notSent') : t('limits.quick.invalid')}</p>}
        </form>
        <RecentQuickSends accounts={accounts} />
      </div>
    </section>
  );
}
