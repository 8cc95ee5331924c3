import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../shared/accounts';
import type { AccountSendStats } from '../../../../shared/sending';
import { describeError } from '../../api/errors';
import { useAct } from '../../api/query';
import { useTimeOfDay } from '../health/circuitTime';
import { BudgetBar } from './BudgetBar';
import { SandboxSendFault } from './SandboxSendFault';
import { useNow } from './time';

export function AccountChip({ account }: { account: Account }) {
  return (
    <span className={`account-avatar colour-${account.colour}`} aria-hidden="true">
      {(account.initial ?? account.name).slice(0, 1).toUpperCase()}
    </span>
  );
}

/** "now", "4 s", "1 min 05 s". */
export function formatSlot(t: TFunction, ms: number): string {
  if (ms <= 0) return t('limits.slot.now');
  const total = Math.ceil(ms / 1000);
  if (total < 60) return t('limits.slot.seconds', { s: total });
  return t('limits.slot.minutes', { m: Math.floor(total / 60), s: String(total % 60).padStart(2, '0') });
}

/** What the account is doing when nothing holds it: an export account waits on the operator, not on a clock. */
const stateOf = (account: Account, stats: AccountSendStats) =>
  account.transport === 'export' ? 'manual' : stats.queued + stats.sending > 0 ? 'sending' : 'ready';

function Figures({ stats, now, manual }: { stats: AccountSendStats; now: number; manual: boolean }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => v.toLocaleString(i18n.language);
  const wait = stats.nextSlotAt - now;
  return (
    <dl className="limit-figures">
      <div>
        <dt>{t('limits.figures.lastMinute')}</dt>
        <dd data-testid="sent-minute">{n(stats.sentLastMinute)}</dd>
      </div>
      <div>
        <dt>{t('limits.figures.lastHour')}</dt>
        <dd>{n(stats.sentLastHour)}</dd>
      </div>
      <div>
        <dt>{t('limits.figures.lastDay')}</dt>
        <dd data-testid="sent-day">{n(stats.sentLastDay)}</dd>
      </div>
      <div>
        <dt>{t('limits.figures.queue')}</dt>
        <dd>
          <span data-testid="queue-depth">{n(stats.queued)}</span>
          {stats.sending > 0 && <small className="muted"> {t('limits.figures.inFlight', { count: stats.sending })}</small>}
        </dd>
      </div>
      <div>
        <dt>{t('limits.figures.nextSlot')}</dt>
        <dd data-testid="next-slot">
          {manual ? t('limits.slot.manual') : formatSlot(t, wait)}
          {!manual && wait > 0 && stats.limitedBy && <small className="muted"> {t(`limits.limitedBy.${stats.limitedBy}`)}</small>}
        </dd>
      </div>
      <div>
        <dt>{t('limits.figures.troubles')}</dt>
        <dd className="small" data-testid="troubles">{t('limits.figures.troublesValue', { throttled: n(stats.throttled), failed: n(stats.failed), unknown: n(stats.unknown) })}</dd>
      </div>
    </dl>
  );
}

function QueueControls({ account, stats }: { account: Account; stats: AccountSendStats }) {
  const { t } = useTranslation();
  const pause = useAct('queue.pause');
  const resume = useAct('queue.resume');
  const cancel = useAct('queue.cancel');
  const scope = { accountId: account.id };
  const confirmCancel = () => {
    // Cancelled sends do not come back: a stray click must not drop a whole queue.
    if (window.confirm(t('limits.cancelConfirm', { count: stats.queued, name: account.name }))) cancel.mutate(scope);
  };
  const error = pause.error ?? resume.error ?? cancel.error;
  return (
    <>
      <div className="actions">
        {stats.paused ? (
          <button type="button" onClick={() => resume.mutate(scope)} disabled={resume.isPending}>{t('limits.resume')}</button>
        ) : (
          <button type="button" className="secondary" onClick={() => pause.mutate(scope)} disabled={pause.isPending}>{t('limits.pause')}</button>
        )}
        <button type="button" className="secondary" onClick={confirmCancel} disabled={cancel.isPending || stats.queued === 0}>
          {t('limits.cancelQueued')}
        </button>
      </div>
      {error && <p role="alert" className="error">{describeError(t, error)}</p>}
    </>
  );
}

/** One creator account: its live budget, queue, next slot, last error and controls. */
export function AccountCard({ account, stats, receivedAt, sandbox }: { account: Account; stats: AccountSendStats | undefined; receivedAt: number; sandbox: boolean }) {
  const { t } = useTranslation();
  // The ticker is floored to the second; the figures are at least as new as their arrival, so a
  // slot the core called free when it answered never reads as "in 1 s".
  const now = Math.max(useNow(), receivedAt);
  const timeOf = useTimeOfDay();
  const titleId = `limits-account-${account.id}`;
  return (
    <section className="card limit-card" aria-labelledby={titleId} data-testid="limit-card" data-account={account.id}>
      <div className="card-head">
        <div className="limit-title">
          <AccountChip account={account} />
          <div>
            <h2 id={titleId}>{account.name}</h2>
            <small className="muted">{account.platformAccountId} · {t(`accounts.transports.${account.transport}`)}</small>
          </div>
        </div>
        <div className="chips">
          {stats?.paused && <span className="chip warn" data-testid="badge-paused">{t('limits.badges.paused')}</span>}
          {stats?.offline && <span className="chip bad" data-testid="badge-offline">{t('limits.badges.offline')}</span>}
          {stats && !stats.paused && !stats.offline && <span className="chip good">{t(`limits.badges.${stateOf(account, stats)}`)}</span>}
        </div>
      </div>
      {stats ? (
        <>
          <div className="limit-body">
            <BudgetBar stats={stats} now={now} />
            <Figures stats={stats} now={now} manual={account.transport === 'export'} />
          </div>
          {stats.shared && (
            <p className={`small ${stats.shared.mode === 'offline' ? 'notice warn' : 'muted'}`} data-testid="shared-budget" data-mode={stats.shared.mode} title={t('sharedLimits.hint')}>
              {stats.shared.mode === 'shared' ? t('sharedLimits.shared', { count: stats.shared.seats }) : t('sharedLimits.offline', { seats: stats.shared.seats })}
            </p>
          )}
          {stats.lastError && (
            <p className="notice warn" data-testid="last-error" data-reason={stats.lastError.reason}>
              {t('limits.lastError', { reason: t(`limits.reasons.${stats.lastError.reason}`), time: timeOf(stats.lastError.at) })}
            </p>
          )}
          <QueueControls account={account} stats={stats} />
        </>
      ) : (
        <p className="muted">{t('limits.loading')}</p>
      )}
      {sandbox && account.transport === 'sandbox' && <SandboxSendFault account={account} />}
    </section>
  );
}
