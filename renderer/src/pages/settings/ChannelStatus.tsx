import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AlertChannel } from '../../../../shared/alerts';
import type { Output } from '../../../../shared/contract';
import { describeError } from '../../api/errors';
import { useAct } from '../../api/query';

type Status = Output<'alerts.channels'>['status'][AlertChannel];
type TestResult = Output<'alerts.test'>;

export function describeTest(t: TFunction, result: TestResult): string {
  if (result.ok) return t('alertChannels.testSent');
  const head = t(`alertChannels.deliveryErrors.${result.code}`);
  const status = result.status === null ? '' : ` (HTTP ${result.status})`;
  return result.detail ? `${head}${status}: ${result.detail}` : `${head}${status}`;
}

/** What the outbox says about the channel, the dead letters' retry, and Send test with its answer. */
export function ChannelStatus({ channel, status }: { channel: AlertChannel; status: Status }) {
  const { t, i18n } = useTranslation();
  const test = useAct('alerts.test');
  const retry = useAct('alerts.retry');
  const when = status.lastDeliveredAt === null ? null : new Date(status.lastDeliveredAt).toLocaleString(i18n.language);
  return (
    <div className="test-box" data-testid={`channel-status-${channel}`}>
      <div className="chips">
        <span className={`chip ${status.configured ? 'good' : ''}`}>{status.configured ? t('alertChannels.configured') : t('alertChannels.notConfigured')}</span>
        <span className="chip">{t('alertChannels.pending', { count: status.pending })}</span>
        <span className={`chip ${status.dead > 0 ? 'bad' : ''}`}>{t('alertChannels.dead', { count: status.dead })}</span>
      </div>
      <p className="muted">{when ? t('alertChannels.lastDelivered', { when }) : t('alertChannels.neverDelivered')}</p>
      {status.lastError && <p className="muted">{t('alertChannels.lastError', { error: status.lastError })}</p>}
      <div className="actions">
        <button type="button" className="secondary" disabled={test.isPending} onClick={() => test.mutate({ channel })}>
          {test.isPending ? t('alertChannels.testing') : t('alertChannels.test')}
        </button>
        {status.dead > 0 && (
          <button type="button" className="secondary" disabled={retry.isPending} onClick={() => retry.mutate({ channel })}>
            {t('alertChannels.retry', { count: status.dead })}
          </button>
        )}
      </div>
      {test.error && <p className="error" role="alert">{describeError(t, test.error)}</p>}
      {test.data && !test.isPending && (
        <p role="status" data-testid={`test-result-${channel}`} className={test.data.ok ? 'ok' : 'error'}>
          {describeTest(t, test.data)}
        </p>
      )}
      {retry.data && <p role="status">{t('alertChannels.requeued', { count: retry.data.requeued })}</p>}
    </div>
  );
}
