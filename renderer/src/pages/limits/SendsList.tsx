import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../shared/accounts';
import type { Send, SendState } from '../../../../shared/sending';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { useMoney } from '../../lib/money';
import { useTimeOfDay } from '../health/circuitTime';
import { AccountChip } from './AccountCard';
import { ExportBox } from './ExportBox';

const RECENT = 20;
/**
 * Sends in flight (or handed out for export) and sends only the operator can settle stay listed
 * however many went out since. Failed ones are not pinned: they fall off with the recent ones,
 * as nothing but a retry would ever clear them.
 */
const NEEDS_LOOK: SendState[] = ['sending', 'unknown'];

const STATE_CHIP: Record<SendState, string> = {
  queued: 'chip',
  sending: 'chip warn',
  sent: 'chip good',
  failed: 'chip bad',
  unknown: 'chip bad',
  cancelled: 'chip',
};

function SendActions({ send }: { send: Send }) {
  const { t } = useTranslation();
  const resolve = useAct('sends.resolve');
  const retry = useAct('sends.retry');
  const error = resolve.error ?? retry.error;
  if (send.state !== 'unknown' && send.state !== 'failed') return null;
  return (
    <>
      {send.state === 'unknown' ? (
        <>
          <p className="send-explain">{t('limits.sends.unknownHelp')}</p>
          <div className="actions inline-actions">
            <button type="button" className="secondary" disabled={resolve.isPending} onClick={() => resolve.mutate({ id: send.id, as: 'sent' })}>
              {t('limits.sends.markSent')}
            </button>
            <button type="button" className="secondary" disabled={resolve.isPending} onClick={() => resolve.mutate({ id: send.id, as: 'resend' })}>
              {t('limits.sends.sendAgain')}
            </button>
          </div>
        </>
      ) : (
        <div className="actions inline-actions">
          <button type="button" className="secondary" disabled={retry.isPending} onClick={() => retry.mutate({ id: send.id })}>
            {t('limits.sends.retry')}
          </button>
        </div>
      )}
      {error && <p role="alert" className="error">{describeError(t, error)}</p>}
    </>
  );
}

function SendRow({ send }: { send: Send }) {
  const { t } = useTranslation();
  const money = useMoney();
  const timeOf = useTimeOfDay();
  const waiting = send.state === 'queued' && send.notBefore !== null;
  return (
    <tr data-testid="send-row" data-state={send.state} data-id={send.id}>
      <td>
        <span className={STATE_CHIP[send.state]} data-testid="send-state">{t(`limits.states.${send.state}`)}</span>
      </td>
      <td className="nowrap">{send.chatId}</td>
      <td className="send-text">
        <span className="clamp block">{send.text}</span>
        {send.priceMicros !== null && <small className="muted">{t('limits.sends.price', { price: money.cents(send.priceMicros) })}</small>}
      </td>
      <td className="nowrap">{timeOf(send.sentAt ?? send.updatedAt)}</td>
      <td>
        {send.reason && <span data-testid="send-reason">{t(`limits.reasons.${send.reason}`)}</span>}
        {waiting && send.notBefore !== null && <small className="muted block">{t('limits.sends.notBefore', { time: timeOf(send.notBefore) })}</small>}
        <SendActions send={send} />
      </td>
    </tr>
  );
}

/** The account's sends, newest first: the last ones plus any still in flight or waiting on the operator. */
export function SendsList({ account }: { account: Account }) {
  const { t } = useTranslation();
  const recent = useCall('sends.list', { accountId: account.id, limit: RECENT });
  const open = useCall('sends.list', { accountId: account.id, states: NEEDS_LOOK, limit: 100 });
  const byId = new Map<string, Send>();
  for (const s of [...(open.data ?? []), ...(recent.data ?? [])]) byId.set(s.id, s);
  const sends = [...byId.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  const handed = (open.data ?? []).filter((s) => s.state === 'sending');
  const error = recent.error ?? open.error;
  const captionId = `sends-${account.id}`;
  return (
    <section className="card limit-sends" aria-labelledby={captionId} data-testid="account-sends" data-account={account.id}>
      <h3 id={captionId} className="limit-title">
        <AccountChip account={account} />
        {account.name}
      </h3>
      {account.transport === 'export' && <ExportBox account={account} handed={handed} />}
      {error && <p role="alert" className="error">{describeError(t, error)}</p>}
      {sends.length === 0 ? (
        recent.data && <p className="muted" data-testid="sends-empty">{t('limits.sends.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-labelledby={captionId}>
            <thead>
              <tr>
                <th scope="col">{t('limits.sends.state')}</th>
                <th scope="col">{t('limits.sends.fan')}</th>
                <th scope="col">{t('limits.sends.text')}</th>
                <th scope="col">{t('limits.sends.time')}</th>
                <th scope="col">{t('limits.sends.note')}</th>
              </tr>
            </thead>
            <tbody>
              {sends.map((s) => (
                <SendRow key={s.id} send={s} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
