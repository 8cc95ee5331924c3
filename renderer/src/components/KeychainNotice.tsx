import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAct, useCall } from '../api/query';
import { type Message, useSay } from './Notice';

/**
 * On every screen: the first time the data key lands in a key file (until "Got it"), and for as
 * long as the keychain is locked. Both say how to fix it on the core's OS, and Try again asks
 * the keychain again without a restart.
 */
export function KeychainNotice() {
  const { t } = useTranslation();
  const say = useSay();
  const status = useCall('keychain.status', {}).data;
  const [outcome, setOutcome] = useState<Message | null>(null);
  const retry = useAct('keychain.retry', {
    onSuccess: (next) => setOutcome(next.state === 'locked' ? { key: 'keychain.stillLocked' } : next.state === 'key-file' ? { key: 'keychain.stillFile' } : null),
    onError: (error) => setOutcome({ error, wrap: 'keychain.retryFailed' }),
  });
  const acknowledge = useAct('keychain.acknowledge');
  if (!status) return null;
  const locked = status.state === 'locked';
  if (!locked && !(status.state === 'key-file' && status.notice)) return null;

  const title = locked ? t('keychain.lockedTitle') : t('keychain.fileTitle');
  return (
    <section className="notice warn keychain-notice" aria-label={title} data-testid="keychain-notice" data-state={status.state}>
      <p>
        <strong>{title}</strong>
      </p>
      <p>{locked ? t('keychain.lockedBody') : t('keychain.fileBody')}</p>
      <p>{t(`keychain.${locked ? 'unlock' : 'howTo'}.${status.platform}`)}</p>
      {outcome && (
        <p role="status" data-testid="keychain-outcome">
          {say(outcome)}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => retry.mutate({})} disabled={retry.isPending} aria-busy={retry.isPending}>
          {locked ? t('keychain.tryAgain') : t('keychain.retry')}
        </button>
        {!locked && (
          <button type="button" className="secondary" onClick={() => acknowledge.mutate({})} disabled={acknowledge.isPending}>
            {t('keychain.gotIt')}
          </button>
        )}
      </div>
    </section>
  );
}
