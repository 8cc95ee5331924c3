import { useTranslation } from 'react-i18next';
import { MODEL_CLASSES, type ModelClass, type ProviderId } from '../../../../shared/ai';
import { Field } from '../../components/Field';
import type { ClassDraft, ErrorKey, ProviderDraft } from './providerDraft';

interface ClassModelsProps {
  id: ProviderId;
  draft: ProviderDraft;
  onChange(cls: ModelClass, patch: Partial<ClassDraft>): void;
  errorOf(key: ErrorKey): string | undefined;
}

/** Per model class: the provider's main deployment, or a deployment of its own with its own price. */
export function ClassModels({ id, draft, onChange, errorOf }: ClassModelsProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="class-models" aria-describedby={`${id}-classes-help`} data-testid="class-models">
      <legend>{t('providers.classModels.title')}</legend>
      <small id={`${id}-classes-help`} className="muted">{t('providers.classModels.help')}</small>
      {MODEL_CLASSES.map((cls) => (
        <ClassModelRow key={cls} id={id} cls={cls} draft={draft} onChange={(patch) => onChange(cls, patch)} errorOf={errorOf} />
      ))}
    </fieldset>
  );
}

interface RowProps extends Omit<ClassModelsProps, 'onChange'> {
  cls: ModelClass;
  onChange(patch: Partial<ClassDraft>): void;
}

function ClassModelRow({ id, cls, draft, onChange, errorOf }: RowProps) {
  const { t } = useTranslation();
  const own = draft.classes[cls];
  const name = t(`modelClasses.${cls}`);
  const fid = (field: string) => `${id}-${cls}-${field}`;
  // Visible labels stay short; the class name is read out with them.
  const label = (text: string) => (
    <>
      <span className="visually-hidden">{t('providers.classModels.fieldOf', { name })}</span>
      {text}
    </>
  );
  const field = (key: keyof Omit<ClassDraft, 'own'>, text: string, extra: { inputMode?: 'decimal' } = {}) => (
    <Field id={fid(key)} label={label(text)} value={own[key]} onChange={(value) => onChange({ [key]: value })}
      error={errorOf(`${cls}.${key}`)} spellCheck={false} {...extra} />
  );
  const main = draft.deployment.trim();
  const priceError = errorOf(`${cls}.price`);

  return (
    <div className="class-model" role="group" aria-labelledby={fid('name')} data-testid={`class-${cls}`}
      aria-describedby={own.own ? fid('price-note') : undefined}>
      <div className="class-head">
        <span id={fid('name')} className="class-name">{name}</span>
        <label className="choice">
          <input type="radio" name={fid('mode')} checked={!own.own} onChange={() => onChange({ own: false })} />
          {t('providers.classModels.useMain')}
        </label>
        <label className="choice">
          <input type="radio" name={fid('mode')} checked={own.own} onChange={() => onChange({ own: true })} />
          {t('providers.classModels.useOwn')}
        </label>
        {!own.own && (
          <small data-testid="class-inherits">
            {main
              ? t('providers.classModels.inherits', { deployment: main, baseModel: draft.baseModel.trim() || main })
              : t('providers.classModels.inheritsUnset')}
          </small>
        )}
      </div>
      {own.own && (
        <>
          <div className="grid-form class-fields">
            {field('deployment', id === 'azure' ? t('providers.deploymentName') : t('providers.model'))}
            {field('baseModel', t('providers.baseModel'))}
            {field('priceInput', t('providers.classModels.priceInput'), { inputMode: 'decimal' })}
            {field('priceCached', t('providers.classModels.priceCached'), { inputMode: 'decimal' })}
            {field('priceOutput', t('providers.classModels.priceOutput'), { inputMode: 'decimal' })}
          </div>
          <small id={fid('price-note')} className={priceError ? 'error' : 'muted'}>
            {priceError ?? t('providers.classModels.priceHelp')}
          </small>
        </>
      )}
    </div>
  );
}
