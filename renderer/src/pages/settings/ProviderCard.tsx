import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Output } from '../../../../shared/contract';
import { ProviderForm } from './ProviderForm';

export type ProviderView = Output<'providers.list'>['providers'][number];

/**
 * One provider as a summary row (name, state, what it runs) that expands to edit its settings,
 * key and connection test. `open` starts it expanded: the first provider still to set up.
 */
export function ProviderCard({ view, sandboxMode, open: startOpen }: { view: ProviderView; sandboxMode: boolean; open: boolean }) {
  const { t } = useTranslation();
  const { id, config } = view;
  const [open, setOpen] = useState(startOpen);
  const [dirty, setDirty] = useState(false);
  const runs = config.deployment ? t('providerSetup.runs', { deployment: config.deployment, baseModel: config.baseModel || config.deployment }) : t('providerSetup.runsNothing');
  return (
    <article className={`card provider-card ${open ? 'open' : ''}`} aria-labelledby={`provider-${id}-title`} data-testid={`provider-${id}`}>
      <header className="card-head provider-summary">
        <h2 id={`provider-${id}-title`}>{t(`providers.names.${id}`)}</h2>
        <span className="muted provider-runs">{runs}</span>
        <div className="chips">
          <span className={`chip ${config.enabled ? 'good' : ''}`}>
            {config.enabled ? t('providers.enabled') : t('providers.disabled')}
          </span>
          <span className={`chip ${view.configured ? 'good' : 'bad'}`}>
            {view.configured ? t('providers.configured') : t('providers.notConfigured')}
          </span>
          <span className={`chip ${view.circuit === 'closed' ? '' : 'bad'}`}>
            {t('providers.circuit', { state: t(`circuit.${view.circuit}`) })}
          </span>
          {dirty && <span className="chip warn">{t('providerSetup.unsaved')}</span>}
        </div>
        <button type="button" className="secondary" aria-expanded={open} aria-controls={`provider-${id}-body`} onClick={() => setOpen((o) => !o)}
          aria-label={t(open ? 'providerSetup.collapse' : 'providerSetup.expand', { name: t(`providers.names.${id}`) })}>
          {open ? t('providerSetup.close') : t('providerSetup.edit')}
        </button>
      </header>
      {/* Kept mounted while closed, so an edit in progress survives folding the card. */}
      <div id={`provider-${id}-body`} hidden={!open}>
        <ProviderForm id={id} config={config} keySet={view.keySet} sandboxMode={sandboxMode} onDirty={setDirty} />
      </div>
    </article>
  );
}
