import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useMethod } from '../../api/hooks';
import { ProviderCard } from './ProviderCard';

/** Azure OpenAI, OpenAI and a local model: settings, keys (only "set / not set") and a connection test. */
export function ProvidersSettings({ sandboxMode }: { sandboxMode: boolean }) {
  const { t } = useTranslation();
  const { data, error, loading, reload } = useMethod('providers.list', {});

  return (
    <div className="stack" data-testid="providers-settings">
      <p className="muted">{t('providers.intro')}</p>
      {sandboxMode && (
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
      {loading && !data && <p>{t('providers.loading')}</p>}
      {data?.providers.map((view) => <ProviderCard key={view.id} view={view} onChanged={reload} />)}
    </div>
  );
}
