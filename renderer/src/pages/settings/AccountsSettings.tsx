import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../shared/accounts';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { FansPanel } from '../audiences/FansPanel';
import { AccountForm } from './AccountForm';
import { RestrictedWordsCard } from './RestrictedWordsCard';

function AccountRow({ account, onEdit }: { account: Account; onEdit(): void }) {
  const { t } = useTranslation();
  const remove = useAct('accounts.remove');
  // Mounted only while open: a closed disclosure per account need not count fans.
  const [fansOpen, setFansOpen] = useState(false);
  const confirmRemove = () => {
    // Removing drops the account's key too; a stray click must not cost the operator that.
    if (window.confirm(t('accounts.removeConfirm', { name: account.name }))) remove.mutate({ id: account.id });
  };
  return (
    <li className="account-row" data-testid="account-row">
      <span className={`account-avatar colour-${account.colour}`} aria-hidden="true">{(account.initial ?? account.name).slice(0, 1).toUpperCase()}</span>
      <span className="account-main">
        <strong>{account.name}</strong>
        <small className="muted">
          {account.platformAccountId} · {t(`accounts.transports.${account.transport}`)} · {t('accounts.limitsSummary', account.limits)}
          {account.transport === 'onlyfans_http' && ` · ${account.apiKeySet ? t('accounts.keySet') : t('accounts.keyNotSet')}`}
        </small>
      </span>
      <span className="actions">
        <button type="button" className="secondary" onClick={onEdit}>{t('accounts.edit')}</button>
        <button type="button" className="secondary" onClick={confirmRemove} disabled={remove.isPending}>{t('accounts.remove')}</button>
      </span>
      {remove.error && <p role="alert" className="error">{describeError(t, remove.error)}</p>}
      <details className="fans-disclosure" onToggle={(e) => setFansOpen(e.currentTarget.open)}>
        <summary>{t('fans.disclosure', { name: account.name })}</summary>
        {fansOpen && <FansPanel accountId={account.id} />}
      </details>
    </li>
  );
}

/** Settings → Accounts: the creators this profile sends for (the Sandbox has its own), and the restricted words. */
export function AccountsSettings() {
  const { t } = useTranslation();
  const { data: accounts, error } = useCall('accounts.list', {});
  const { data: sandbox } = useCall('sandbox.state', {});
  const [editing, setEditing] = useState<Account | 'new' | null>(null);
  if (error) return <p className="error" role="alert">{describeError(t, error)}</p>;
  if (!accounts) return <p className="muted">{t('settings.loading')}</p>;
  const inSandbox = sandbox?.enabled ?? false;
  return (
    <div className="stack">
      <p className="muted">{inSandbox ? t('accounts.introSandbox') : t('accounts.intro')}</p>
      {editing ? (
        <AccountForm key={editing === 'new' ? 'new' : editing.id} account={editing === 'new' ? null : editing} sandbox={inSandbox} onDone={() => setEditing(null)} />
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setEditing('new')}>{t('accounts.add')}</button>
        </div>
      )}
      {accounts.length === 0 ? (
        <p className="card muted" data-testid="accounts-empty">{t('accounts.empty')}</p>
      ) : (
        <ul className="card account-list" aria-label={t('accounts.listLabel')}>
          {accounts.map((a) => (
            <AccountRow key={a.id} account={a} onEdit={() => setEditing(a)} />
          ))}
        </ul>
      )}
      <RestrictedWordsCard />
    </div>
  );
}
