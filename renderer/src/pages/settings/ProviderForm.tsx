import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEPLOYMENT_TYPES, type DeploymentType, type ModelClass, type ProviderConfig, type ProviderId } from '../../../../shared/ai';
import { parseAzurePaste } from '../../../../shared/providerSetup';
import { useAct } from '../../api/query';
import { Field } from '../../components/Field';
import { type Message, type Notice, NoticeView } from '../../components/Notice';
import { useMoney } from '../../lib/money';
import { useUnsavedGuard } from '../../lib/unsavedGuard';
import { ClassModels } from './ClassModels';
import { describeSetupIssue, farOffIssue, type Placed, NO_ISSUES } from './providerIssues';
import { ProviderKey } from './ProviderKey';
import { ProviderTest } from './ProviderTest';
import { type ClassDraft, checkDraft, type DraftErrors, type DraftField, type ErrorKey, placeIssues, type ProviderDraft, toDraft } from './providerDraft';

const sameDraft = (a: ProviderDraft, b: ProviderDraft) => JSON.stringify(a) === JSON.stringify(b);
// Only a pasted URL that carries more than a host is split: typing a host stays as typed.
const looksPasted = (text: string) => /\/openai\b|[?&]api-version=|\/deployments\//i.test(text);

/**
 * A provider's settings and its key, saved together by one Save (providers.update). Test
 * connection uses what is typed here, saved or not. Leaving with unsaved changes asks first.
 */
export function ProviderForm({ id, config, keySet, sandboxMode, onDirty }: {
  id: ProviderId;
  config: ProviderConfig;
  keySet: boolean;
  sandboxMode: boolean;
  onDirty(dirty: boolean): void;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const [draft, setDraft] = useState<ProviderDraft>(() => toDraft(config, money));
  // The config the draft started from: when the core's changes (say, from another window), an
  // untouched form follows it, and one being edited keeps the operator's typing.
  const [base, setBase] = useState(config);
  if (base !== config) {
    setBase(config);
    if (sameDraft(draft, toDraft(base, money))) setDraft(toDraft(config, money));
  }
  const [typedIn, setTypedIn] = useState(money);
  if (typedIn !== money) {
    setTypedIn(money);
    // The language changed: an untouched form shows its prices the new way; one being edited is left alone.
    if (sameDraft(draft, toDraft(config, typedIn))) setDraft(toDraft(config, money));
  }
  const keyInput = useRef<HTMLInputElement>(null);
  const [keyTyped, setKeyTyped] = useState(false);
  const [local, setLocal] = useState<DraftErrors>({});
  const [remote, setRemote] = useState<Placed>(NO_ISSUES);
  const [notice, setNotice] = useState<Notice>();
  const [pasted, setPasted] = useState(false);
  const [keyError, setKeyError] = useState<Message>();
  // The key travels in the mutation's variables: they must not linger in the cache once answered.
  const update = useAct('providers.update', { gcTime: 0 });
  const saving = update.isPending;

  const dirty = keyTyped || !sameDraft(draft, toDraft(config, money));
  const [wasDirty, setWasDirty] = useState(false);
  if (wasDirty !== dirty) {
    setWasDirty(dirty);
    onDirty(dirty);
  }
  useUnsavedGuard(dirty, t('providerSetup.leaveConfirm'));

  const set = (field: DraftField) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const setEndpoint = (value: string) => {
    const found = id === 'azure' && looksPasted(value) ? parseAzurePaste(value) : null;
    setPasted(found !== null);
    if (!found) return set('endpoint')(value);
    setDraft((d) => ({ ...d, endpoint: found.endpoint, deployment: found.deployment ?? d.deployment, apiVersion: found.apiVersion ?? d.apiVersion }));
  };
  const setClass = (cls: ModelClass, patch: Partial<ClassDraft>) =>
    setDraft((d) => ({ ...d, classes: { ...d.classes, [cls]: { ...d.classes[cls], ...patch } } }));
  const errorOf = (field: ErrorKey) => {
    const key = local[field];
    if (key) return t(`providers.errors.${key}`);
    const issues = remote.byField[field];
    return issues ? issues.map((i) => describeSetupIssue(t, money, i)).join('; ') : undefined;
  };
  const fid = (field: string) => `${id}-${field}`;
  const typedKey = () => {
    const key = keyInput.current?.value.trim() ?? '';
    return key === '' ? undefined : key;
  };

  /** The settings as typed, or null with the fields that cannot be read marked. */
  const built = (): ProviderConfig | null => {
    const result = checkDraft(id, draft, config, money);
    setLocal('errors' in result ? result.errors : {});
    setRemote('issues' in result ? placeIssues(result.issues) : NO_ISSUES);
    if ('config' in result) return result.config;
    setNotice({ tone: 'error', key: 'providers.checkFields' });
    return null;
  };

  const save = (confirmPrice: boolean) => {
    setNotice(undefined);
    const next = built();
    if (!next) return;
    const apiKey = sandboxMode ? undefined : typedKey();
    setKeyError(undefined);
    if (apiKey !== undefined && apiKey.length < 8) {
      setKeyError({ key: 'providers.keyTooShort' });
      setNotice({ tone: 'error', key: 'providers.checkFields' });
      return;
    }
    update.mutate(
      { provider: id, config: next, ...(apiKey ? { apiKey } : {}), ...(confirmPrice ? { confirmPrice } : {}) },
      {
        onSuccess: (view) => {
          setDraft(toDraft(view.config, money));
          if (keyInput.current) keyInput.current.value = '';
          setKeyTyped(false);
          setPasted(false);
          setNotice({ tone: 'ok', key: 'providers.saved' });
        },
        onError: (error) => {
          setRemote(error.issues ? placeIssues(error.issues) : NO_ISSUES);
          // The fields carry the issues; the line names only the error itself.
          setNotice(error.issues?.some((i) => i.params.rule === 'price_far_off') ? { tone: 'error', key: 'providerSetup.confirmNeeded' } : { tone: 'error', error: { ...error, issues: undefined }, wrap: 'providers.saveFailed' });
        },
        onSettled: () => update.reset(),
      },
    );
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save(false);
  };
  const farOff = farOffIssue(remote);

  return (
    <form className="provider-form" onSubmit={submit} noValidate aria-label={t('providers.formLabel', { name: t(`providers.names.${id}`) })}>
      <label className="switch">
        <input type="checkbox" role="switch" checked={draft.enabled} onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))} />
        <span>{t('providers.enable')}</span>
      </label>
      <div className="grid-form">
        <Field id={fid('endpoint')} className="span-2" label={t('providers.endpoint')} value={draft.endpoint} onChange={setEndpoint}
          help={pasted ? t('providerSetup.pasted') : id === 'azure' ? t('providerSetup.endpointHelp') : t(`providers.endpointHelp.${id}`)}
          error={errorOf('endpoint')} inputMode="url" spellCheck={false} />
        <Field id={fid('deployment')} label={id === 'azure' ? t('providers.deploymentName') : t('providers.model')}
          value={draft.deployment} onChange={set('deployment')} error={errorOf('deployment')} spellCheck={false}
          help={id === 'azure' ? t('providers.deploymentHelp') : undefined} />
        <Field id={fid('baseModel')} label={t('providers.baseModel')} value={draft.baseModel} onChange={set('baseModel')}
          help={t('providers.baseModelHelp')} error={errorOf('baseModel')} spellCheck={false} />
      </div>
      <div className={`grid-form ${id === 'azure' ? 'four' : ''}`}>
        {id === 'azure' && (
          <Field id={fid('apiVersion')} label={t('providers.apiVersion')} value={draft.apiVersion} onChange={set('apiVersion')}
            error={errorOf('apiVersion')} spellCheck={false} />
        )}
        {id === 'azure' && (
          <div className="field">
            <label htmlFor={fid('deploymentType')}>{t('providerSetup.deploymentType')}</label>
            <select id={fid('deploymentType')} value={draft.deploymentType} aria-describedby={fid('deploymentType-note')}
              onChange={(e) => setDraft((d) => ({ ...d, deploymentType: e.target.value as DeploymentType }))}>
              {DEPLOYMENT_TYPES.map((type) => <option key={type} value={type}>{t(`providerSetup.deploymentTypes.${type}`)}</option>)}
            </select>
            <small id={fid('deploymentType-note')}>{t('providerSetup.deploymentTypeHelp')}</small>
          </div>
        )}
        <Field id={fid('firstByte')} label={t('providers.firstByteTimeout')} value={draft.firstByteTimeoutMs}
          onChange={set('firstByteTimeoutMs')} error={errorOf('firstByteTimeoutMs')} inputMode="numeric" />
        <Field id={fid('total')} label={t('providers.totalTimeout')} value={draft.totalTimeoutMs}
          onChange={set('totalTimeoutMs')} error={errorOf('totalTimeoutMs')} inputMode="numeric" />
      </div>
      <fieldset className="prices" aria-describedby={fid('price-note')}>
        <legend>{t('providers.priceOverride')}</legend>
        <div className="grid-form three">
          <Field id={fid('priceInput')} label={t('providers.priceInput')} value={draft.priceInput} onChange={set('priceInput')}
            error={errorOf('priceInput')} inputMode="decimal" placeholder={t('providers.pricePlaceholder')} />
          <Field id={fid('priceCached')} label={t('providers.priceCached')} value={draft.priceCached} onChange={set('priceCached')}
            error={errorOf('priceCached')} inputMode="decimal" placeholder={t('providers.pricePlaceholder')} />
          <Field id={fid('priceOutput')} label={t('providers.priceOutput')} value={draft.priceOutput} onChange={set('priceOutput')}
            error={errorOf('priceOutput')} inputMode="decimal" placeholder={t('providers.pricePlaceholder')} />
        </div>
        <small id={fid('price-note')} className={errorOf('price') ? 'error' : 'muted'}>
          {errorOf('price') ?? t('providers.priceHelp')}
        </small>
        {farOff && (
          <div className="notice warn" role="alert" data-testid="price-confirm">
            <p>{t('providerSetup.farOffAsk')}</p>
            <div className="actions">
              <button type="button" disabled={saving} onClick={() => save(true)}>{t('providerSetup.saveAnyway')}</button>
            </div>
          </div>
        )}
        {id !== 'local' && (
          <label className="switch inline">
            <input type="checkbox" checked={draft.acceptUnpriced} onChange={(e) => setDraft((d) => ({ ...d, acceptUnpriced: e.target.checked }))} />
            <span>{t('providerSetup.acceptUnpriced')}</span>
          </label>
        )}
      </fieldset>
      <ClassModels id={id} draft={draft} onChange={setClass} errorOf={errorOf} />
      {remote.general.length > 0 && (
        <ul className="issues error" role="alert" data-testid="provider-issues">
          {remote.general.map((issue) => {
            const text = describeSetupIssue(t, money, issue, true);
            return <li key={text}>{text}</li>;
          })}
        </ul>
      )}
      <div className="card-split">
        {/* The sandbox profile refuses keys: nothing there would use them. */}
        {sandboxMode ? (
          <div className="key-form" data-testid="sandbox-keys-note">
            <h3>{t('providers.apiKey')}</h3>
            <p className="muted">{t('providers.sandboxKeys')}</p>
          </div>
        ) : (
          <ProviderKey id={id} keySet={keySet} input={keyInput} onTyped={setKeyTyped} error={keyError} />
        )}
        <ProviderTest id={id} draft={() => {
          const next = built();
          const apiKey = sandboxMode ? undefined : typedKey();
          return next ? { config: next, ...(apiKey ? { apiKey } : {}) } : null;
        }} />
      </div>
      <div className="actions">
        <button type="submit" disabled={saving}>{saving ? t('providers.saving') : t('providers.save')}</button>
        {dirty && !notice && <span className="muted" data-testid="unsaved">{t('providerSetup.unsaved')}</span>}
        {notice && <NoticeView notice={notice} as="span" />}
      </div>
    </form>
  );
}
