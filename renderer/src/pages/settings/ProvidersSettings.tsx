import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { ProviderCard } from './ProviderCard';

/** Azure OpenAI, OpenAI and a local model: settings, keys (only "set / not set") and a connection test. */
export function ProvidersSettings() {
  const { t } = useTranslation();
  const { data, error, isPending } = useCall('providers.list', {});

  return (
    <div className="stack" data-testid="providers-settings">
      <p className="muted">{t('providers.intro')}</p>
      {data?.sandboxMode && (
        <p className="notice" role="note" data-testid="providers-sandbox-note">
          {t('providers.sandboxNote')}
        </p>
      )}
      {data?.secretStore.weaker && (
        <p className="notice warn" role="note" data-testid="secret-store-warning">
          {t('providers.weakerStore')}
        </p>
      )}
      {error && <p className="error" role="alert">{t('providers.loadFailed', { message: describeError(t, error) })}</p>}
      {isPending && <p>{t('providers.loading')}</p>}
      {data?.providers.map((view) => (
        <ProviderCard key={view.id} view={view} sandboxMode={data.sandboxMode} open={view.id === data.providers.find((p) => !p.configured)?.id} />
      ))}
    </div>
  );
}
