import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { PageHeading } from '../../components/PageHeading';
import { paths } from '../../routing/routes';
import { AccountCard } from './AccountCard';
import { QuickSend } from './QuickSend';
import { SendsList } from './SendsList';
import './limits.css';

/** What the Sandbox OnlyFans server received and whether any send came faster than an account allows. */
function SandboxReport({ statsAt }: { statsAt: number }) {
  const { t, i18n } = useTranslation();
  const report = useCall('sandbox.sendReport', {});
  // No event says the server received something; every change of the figures is one.
  const refetch = report.refetch;
  useEffect(() => {
    if (statsAt > 0) void refetch();
  }, [statsAt, refetch]);
  if (!report.data) return null;
  const { received, violations } = report.data;
  return (
    <p className={violations > 0 ? 'notice warn' : 'notice'} data-testid="sandbox-report" data-violations={violations}>
      {t('limits.sandboxReport', { received: received.toLocaleString(i18n.language), violations: violations.toLocaleString(i18n.language) })}
    </p>
  );
}

/** Every creator account's live sending budget, queue, next slot and errors, with Quick send. */
export function LimitsPage() {
  const { t } = useTranslation();
  const accounts = useCall('accounts.list', {});
  const stats = useCall('onlyfans.stats', {});
  const sandbox = useCall('sandbox.state', {}).data?.enabled ?? false;
  const statsOf = new Map((stats.data ?? []).map((s) => [s.accountId, s]));
  // An account added or edited (its limits) announces itself as accounts.changed, which the
  // figures do not follow: accounts newer than the figures ask for the figures again.
  const stale = stats.isSuccess && accounts.dataUpdatedAt > stats.dataUpdatedAt;
  const refetchStats = stats.refetch;
  useEffect(() => {
    if (stale) void refetchStats();
  }, [stale, refetchStats, accounts.dataUpdatedAt]);

  const error = accounts.error ?? stats.error;
  return (
    <section className="limits-page stack" aria-labelledby="page-title">
      <PageHeading>{t('limits.title')}</PageHeading>
      <p className="muted limits-intro">{sandbox ? t('limits.introSandbox') : t('limits.intro')}</p>
      {sandbox && accounts.data && accounts.data.length > 0 && <SandboxReport statsAt={stats.dataUpdatedAt} />}
      {error && <p className="error" role="alert">{describeError(t, error)}</p>}
      {accounts.data && accounts.data.length === 0 && (
        <div className="empty" data-testid="limits-empty">
          <strong>{t('limits.empty.title')}</strong>
          <p>{t('limits.empty.body')}</p>
          <div className="actions">
            <Link className="button" href={paths.settings('accounts')}>{t('limits.empty.link')}</Link>
          </div>
        </div>
      )}
      {accounts.data && accounts.data.length > 0 && (
        <>
          <div className="limit-cards">
            {accounts.data.map((a) => (
              <AccountCard key={a.id} account={a} stats={statsOf.get(a.id)} receivedAt={stats.dataUpdatedAt} sandbox={sandbox} />
            ))}
          </div>
          <QuickSend accounts={accounts.data} />
          <section className="stack limit-messages" aria-labelledby="limits-messages-title">
            <h2 id="limits-messages-title">{t('limits.sends.heading')}</h2>
            {accounts.data.map((a) => (
              <SendsList key={a.id} account={a} />
            ))}
          </section>
        </>
      )}
      {!accounts.data && !error && <p className="muted">{t('limits.loading')}</p>}
    </section>
  );
}
