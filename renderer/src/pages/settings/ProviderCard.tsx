import { useTranslation } from 'react-i18next';
import type { Output } from '../../../../shared/contract';
import { ProviderForm } from './ProviderForm';
import { ProviderKey } from './ProviderKey';
import { ProviderTest } from './ProviderTest';

export type ProviderView = Output<'providers.list'>['providers'][number];

/** One provider: its status at a glance, its settings, its key and a connection test. */
export function ProviderCard({ view, sandboxMode }: { view: ProviderView; sandboxMode: boolean }) {
  const { t } = useTranslation();
  const { id } = view;
  return (
    <article className="card" aria-labelledby={`provider-${id}-title`} data-testid={`provider-${id}`}>
      <header className="card-head">
        <h2 id={`provider-${id}-title`}>{t(`providers.names.${id}`)}</h2>
        <div className="chips">
          <span className={`chip ${view.config.enabled ? 'good' : ''}`}>
            {view.config.enabled ? t('providers.enabled') : t('providers.disabled')}
          </span>
          <span className={`chip ${view.configured ? 'good' : 'bad'}`}>
            {view.configured ? t('providers.configured') : t('providers.notConfigured')}
          </span>
          <span className={`chip ${view.circuit === 'closed' ? '' : 'bad'}`}>
            {t('providers.circuit', { state: t(`circuit.${view.circuit}`) })}
          </span>
        </div>
      </header>
      <ProviderForm id={id} config={view.config} />
      <div className="card-split">
        {/* The sandbox profile refuses keys: nothing there would use them. */}
        {sandboxMode ? (
          <div className="key-form" data-testid="sandbox-keys-note">
            <h3>{t('providers.apiKey')}</h3>
            <p className="muted">{t('providers.sandboxKeys')}</p>
          </div>
        ) : (
          <ProviderKey id={id} keySet={view.keySet} />
        )}
        <ProviderTest id={id} />
      </div>
    </article>
  );
}
