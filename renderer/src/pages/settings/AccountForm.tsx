import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, ACCOUNT_COLOURS, ACCOUNT_LIMITS, type AccountColour, TRANSPORT_KINDS, type TransportKind } from '../../../../shared/accounts';
import type { AppErrorData } from '../../../../shared/result';
import { describeIssue } from '../../api/errors';
import { useAct } from '../../api/query';
import { Field } from '../../components/Field';
import { type Message, NoticeView } from '../../components/Notice';

interface Draft {
  name: string;
  platformAccountId: string;
  transport: TransportKind;
  baseUrl: string;
  perMinute: string;
  minSpacingSeconds: string;
  burst: string;
  colour: AccountColour;
  initial: string;
  apiKey: string;
}

const draftOf = (a: Account | null, defaultTransport: TransportKind): Draft => ({
  name: a?.name ?? '',
  platformAccountId: a?.platformAccountId ?? '',
  transport: a?.transport ?? defaultTransport,
  baseUrl: a?.baseUrl ?? '',
  perMinute: String(a?.limits.perMinute ?? ACCOUNT_LIMITS.perMinute.default),
  minSpacingSeconds: String(a?.limits.minSpacingSeconds ?? ACCOUNT_LIMITS.minSpacingSeconds.default),
  burst: String(a?.limits.burst ?? ACCOUNT_LIMITS.burst.default),
  colour: a?.colour ?? 'sky',
  initial: a?.initial ?? '',
  apiKey: '',
});

/** A number field left as typed: "abc" reaches the core, which names the field, instead of vanishing here. */
const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** Add or edit one creator account: one Save, field problems shown where they are. */
export function AccountForm({ account, sandbox, onDone }: { account: Account | null; sandbox: boolean; onDone(): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => draftOf(account, sandbox ? 'sandbox' : 'export'));
  const [issues, setIssues] = useState<NonNullable<AppErrorData['issues']>>([]);
  const [failure, setFailure] = useState<Message>();
  const create = useAct('accounts.create');
  const update = useAct('accounts.update');
  const pending = create.isPending || update.isPending;
  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const errorOf = (...path: string[]) => {
    const issue = issues.find((i) => path.every((p, n) => i.path[n] === p));
    return issue ? describeIssue(t, issue) : undefined;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: draft.name,
      platformAccountId: draft.platformAccountId,
      transport: draft.transport,
      baseUrl: draft.baseUrl.trim() === '' ? null : draft.baseUrl,
      limits: { perMinute: num(draft.perMinute), minSpacingSeconds: num(draft.minSpacingSeconds), burst: num(draft.burst) },
      colour: draft.colour,
      initial: draft.initial.trim() === '' ? null : draft.initial,
      ...(draft.apiKey !== '' ? { apiKey: draft.apiKey } : {}),
    };
    const handlers = {
      onSuccess: () => onDone(),
      onError: (error: AppErrorData) => {
        setIssues(error.issues ?? []);
        setFailure(error.issues?.length ? { key: 'accounts.invalid' } : { error });
      },
    };
    if (account) update.mutate({ ...body, id: account.id }, handlers);
    else create.mutate(body, handlers);
  };

  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="account-form-title" data-testid="account-form">
      <h2 id="account-form-title">{account ? t('accounts.editTitle', { name: account.name }) : t('accounts.addTitle')}</h2>
      <Field id="account-name" label={t('accounts.name')} value={draft.name} onChange={set('name')} help={t('accounts.nameHelp')} error={errorOf('name')} />
      <Field id="account-platform-id" label={t('accounts.platformAccountId')} value={draft.platformAccountId} onChange={set('platformAccountId')} help={t('accounts.platformAccountIdHelp')} error={errorOf('platformAccountId')} />
      <div className="field">
        <label htmlFor="account-transport">{t('accounts.transport')}</label>
        <select id="account-transport" value={draft.transport} onChange={(e) => set('transport')(e.target.value)}>
          {TRANSPORT_KINDS.map((k) => (
            <option key={k} value={k}>{t(`accounts.transports.${k}`)}</option>
          ))}
        </select>
      </div>
      {draft.transport === 'onlyfans_http' && (
        <>
          <Field id="account-base-url" label={t('accounts.baseUrl')} value={draft.baseUrl} onChange={set('baseUrl')} help={t('accounts.baseUrlHelp')} error={errorOf('baseUrl')} inputMode="url" />
          {!sandbox && (
            <Field
              id="account-api-key"
              type="password"
              autoComplete="off"
              label={t('accounts.apiKey')}
              value={draft.apiKey}
              onChange={set('apiKey')}
              help={account?.apiKeySet ? t('accounts.apiKeySet') : t('accounts.apiKeyHelp')}
              error={errorOf('apiKey')}
            />
          )}
        </>
      )}
      <fieldset>
        <legend>{t('accounts.limits')}</legend>
        <Field id="account-per-minute" type="number" label={t('accounts.perMinute')} value={draft.perMinute} onChange={set('perMinute')} error={errorOf('limits', 'perMinute')} />
        <Field id="account-spacing" type="number" label={t('accounts.minSpacing')} value={draft.minSpacingSeconds} onChange={set('minSpacingSeconds')} error={errorOf('limits', 'minSpacingSeconds')} />
        <Field id="account-burst" type="number" label={t('accounts.burst')} value={draft.burst} onChange={set('burst')} error={errorOf('limits', 'burst')} />
        <small className="muted">{t('accounts.limitsHelp')}</small>
      </fieldset>
      <fieldset>
        <legend>{t('accounts.colour')}</legend>
        <div className="chips">
          {ACCOUNT_COLOURS.map((c) => (
            <label key={c} className="radio">
              <input type="radio" name="account-colour" checked={draft.colour === c} onChange={() => set('colour')(c)} />
              <span className={`account-avatar colour-${c}`} aria-hidden="true">{(draft.initial || draft.name).slice(0, 1).toUpperCase()}</span>
              <span className="visually-hidden">{t(`accounts.colours.${c}`)}</span>
            </label>
          ))}
        </div>
        <Field id="account-initial" label={t('accounts.initial')} value={draft.initial} onChange={set('initial')} help={t('accounts.initialHelp')} error={errorOf('initial')} maxLength={2} />
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={pending}>{pending ? t('settings.saving') : t('settings.save')}</button>
        <button type="button" className="secondary" onClick={onDone}>{t('accounts.cancel')}</button>
      </div>
      {failure && <NoticeView notice={{ tone: 'error', ...failure }} />}
    </form>
  );
}
