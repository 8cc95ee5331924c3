import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProviderId } from '../../../../shared/ai';
import type { Output } from '../../../../shared/contract';
import { formatMicros } from '../../../../shared/money';
import type { AppErrorData } from '../../../../shared/result';
import { api } from '../../api/client';

/** One tiny real request to the provider, outside routing; it costs what it costs, and says so. */
export function ProviderTest({ id }: { id: ProviderId }) {
  const { t } = useTranslation();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Output<'providers.test'>>();
  const [error, setError] = useState<AppErrorData>();

  const run = async () => {
    setRunning(true);
    setError(undefined);
    const result = await api.call('providers.test', { provider: id });
    setRunning(false);
    if (result.ok) setOutcome(result.value);
    else setError(result.error);
  };

  return (
    <div className="test-box">
      <h3>{t('providers.testTitle')}</h3>
      <p className="muted">{t('providers.testHelp')}</p>
      <div className="actions">
        <button type="button" className="secondary" disabled={running} onClick={() => void run()}>
          {running ? t('providers.testing') : t('providers.test')}
        </button>
      </div>
      {error && <p className="error" role="alert">{t('providers.testFailed', { message: error.message })}</p>}
      {outcome && !running && (
        <div role="status" data-testid="test-result" className={outcome.ok ? 'ok' : 'error'}>
          <p>{outcome.message}</p>
          <p className="muted">
            {t('providers.testFacts', { ms: outcome.ms, cost: formatMicros(outcome.costMicros) })}
          </p>
        </div>
      )}
    </div>
  );
}
