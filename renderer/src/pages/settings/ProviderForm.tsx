import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelClass, ProviderConfig, ProviderId } from '../../../../shared/ai';
import { describeIssue } from '../../api/errors';
import { useAct } from '../../api/query';
import { Field } from '../../components/Field';
import { useMoney } from '../../lib/money';
import { ClassModels } from './ClassModels';
import {
  type ClassDraft,
  type DraftErrors,
  type DraftField,
  type ErrorKey,
  fromDraft,
  placeIssues,
  type ProviderDraft,
  toDraft,
} from './providerDraft';

type Notice = { tone: 'ok' | 'error'; text: string } | undefined;
type Placed = ReturnType<typeof placeIssues>;
const NO_ISSUES: Placed = { byField: {}, general: [] };

const sameDraft = (a: ProviderDraft, b: ProviderDraft) => JSON.stringify(a) === JSON.stringify(b);

/** A provider's non-secret settings, saved together with providers.update. */
export function ProviderForm({ id, config }: { id: ProviderId; config: ProviderConfig }) {
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
  const [local, setLocal] = useState<DraftErrors>({});
  const [remote, setRemote] = useState<Placed>(NO_ISSUES);
  const [notice, setNotice] = useState<Notice>();
  const update = useAct('providers.update');
  const saving = update.isPending;

  const set = (field: DraftField) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const setClass = (cls: ModelClass, patch: Partial<ClassDraft>) =>
    setDraft((d) => ({ ...d, classes: { ...d.classes, [cls]: { ...d.classes[cls], ...patch } } }));
  const errorOf = (field: ErrorKey) => {
    const key = local[field];
    if (key) return t(`providers.errors.${key}`);
    const issues = remote.byField[field];
    return issues ? issues.map((i) => describeIssue(t, i)).join('; ') : undefined;
  };
  const fid = (field: string) => `${id}-${field}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(undefined);
    setRemote(NO_ISSUES);
    const built = fromDraft(draft, config, money);
    if ('errors' in built) {
      setLocal(built.errors);
      setNotice({ tone: 'error', text: t('providers.checkFields') });
      return;
    }
    setLocal({});
    update.mutate(
      { provider: id, config: built.config },
      {
        onSuccess: (view) => {
          setDraft(toDraft(view.config, money));
          setNotice({ tone: 'ok', text: t('providers.saved') });
        },
        onError: (error) => {
          setRemote(error.issues ? placeIssues(error.issues) : NO_ISSUES);
          setNotice({ tone: 'error', text: t('providers.saveFailed', { message: t(`errors.${error.code}`, error.params) }) });
        },
      },
    );
  };

  return (
    <form className="provider-form" onSubmit={submit} noValidate aria-label={t('providers.formLabel', { name: t(`providers.names.${id}`) })}>
      <label className="switch">
        <input type="checkbox" role="switch" checked={draft.enabled} onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))} />
        <span>{t('providers.enable')}</span>
      </label>
      <div className="grid-form">
        <Field id={fid('endpoint')} className="span-2" label={t('providers.endpoint')} value={draft.endpoint} onChange={set('endpoint')}
          help={t(`providers.endpointHelp.${id}`)} error={errorOf('endpoint')} inputMode="url" spellCheck={false} />
        <Field id={fid('deployment')} label={id === 'azure' ? t('providers.deploymentName') : t('providers.model')}
          value={draft.deployment} onChange={set('deployment')} error={errorOf('deployment')} spellCheck={false}
          help={id === 'azure' ? t('providers.deploymentHelp') : undefined} />
        <Field id={fid('baseModel')} label={t('providers.baseModel')} value={draft.baseModel} onChange={set('baseModel')}
          help={t('providers.baseModelHelp')} error={errorOf('baseModel')} spellCheck={false} />
      </div>
      <div className={`grid-form ${id === 'azure' ? 'three' : ''}`}>
        {id === 'azure' && (
          <Field id={fid('apiVersion')} label={t('providers.apiVersion')} value={draft.apiVersion} onChange={set('apiVersion')}
            error={errorOf('apiVersion')} spellCheck={false} />
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
      </fieldset>
      <ClassModels id={id} draft={draft} onChange={setClass} errorOf={errorOf} />
      {remote.general.length > 0 && (
        <ul className="issues error" role="alert" data-testid="provider-issues">
          {remote.general.map((issue) => {
            const text = describeIssue(t, issue, true);
            return <li key={text}>{text}</li>;
          })}
        </ul>
      )}
      <div className="actions">
        <button type="submit" disabled={saving}>{saving ? t('providers.saving') : t('providers.save')}</button>
        {notice && (
          <span role={notice.tone === 'error' ? 'alert' : 'status'} className={notice.tone}>{notice.text}</span>
        )}
      </div>
    </form>
  );
}
