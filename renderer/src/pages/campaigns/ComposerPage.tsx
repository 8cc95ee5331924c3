import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { CAMPAIGN_TYPES, type Campaign, EDITABLE_STATES, MAX_CAMPAIGN_NAME, MAX_MEDIA_REFS, PERSONALIZATION_MODES, readinessIssues, VARIANTS } from '../../../../shared/campaigns';
import type { Issue } from '../../../../shared/result';
import { describeError, describeIssue } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { Field } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { useMoney } from '../../lib/money';
import { useUnsavedGuard } from '../../lib/unsavedGuard';
import { paths } from '../../routing/routes';
import { useNow } from '../limits/time';
import { AudiencePicker } from './AudiencePicker';
import { isShortcut, SAVE_DRAFT_KEYS } from './newCampaign';
import { PersonaSection } from './PersonaSection';
import { PreviewPanel } from './PreviewPanel';
import { TemplateEditor } from './TemplateEditor';
import { type SaveState, useAutosave } from './useAutosave';
import './campaigns.css';

/** A datetime-local value in the window's zone, and back (epoch ms). */
const toLocalInput = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};
const fromLocalInput = (s: string): number | null => {
  const ms = new Date(s).getTime();
  return Number.isFinite(ms) ? ms : null;
};

function SaveIndicator({ state, onRetry }: { state: SaveState; onRetry(): void }) {
  const { t } = useTranslation();
  return (
    <span className="save-state" role="status" data-testid="save-state" data-state={state}>
      {t(`composer.save.${state}`)}
      {state === 'error' && (
        <button type="button" className="link" onClick={onRetry}>{t('composer.save.retry')}</button>
      )}
    </span>
  );
}

/** Loads the campaign; a campaign past editing opens on its own page instead. */
export function ComposerPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const campaign = useCall('campaigns.get', { id });
  const state = campaign.data?.state;
  const editable = state === undefined || EDITABLE_STATES.includes(state);
  useEffect(() => {
    if (!editable) navigate(paths.campaign(id), { replace: true });
  }, [editable, id, navigate]);
  if (campaign.error)
    return (
      <section aria-labelledby="page-title">
        <PageHeading>{t('composer.title')}</PageHeading>
        <p className="error" role="alert">{describeError(t, campaign.error)}</p>
        <Link href={paths.page('campaigns')}>{t('composer.back')}</Link>
      </section>
    );
  if (!campaign.data || !editable) return <p className="muted">{t('composer.loading')}</p>;
  return <Composer id={id} campaign={campaign.data} />;
}

function Composer({ id, campaign }: { id: string; campaign: Campaign }) {
  const { t } = useTranslation();
  const money = useMoney();
  const [, navigate] = useLocation();
  const { draft, change, save, state, error } = useAutosave(id, campaign);
  const accounts = useCall('accounts.list', {});
  const generate = useAct('campaigns.generate');
  const [attempted, setAttempted] = useState(false);
  const now = useNow();
  const [nameText, setNameText] = useState<string | null>(null);
  const [priceText, setPriceText] = useState<string | null>(null);
  const [mediaText, setMediaText] = useState<string | null>(null);
  useUnsavedGuard(state === 'offline' || state === 'error', t('composer.unsaved'));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isShortcut(e, 's')) return;
      e.preventDefault();
      void save();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  const serverIssues: Issue[] = generate.error?.issues ?? [];
  // A start in the past is judged on the window's clock: the core runs on this machine.
  const local = attempted ? readinessIssues({ ...campaign, ...draft }, now) : [];
  const issueAt = (field: string): string | undefined => {
    const texts = [...local, ...serverIssues]
      .filter((i) => i.path[0] === field && i.params.rule !== 'template')
      .map((i) => t([`composer.issues.${field}_${String(i.params.rule)}`, `composer.issues.${String(i.params.rule)}`], { ...i.params, defaultValue: describeIssue(t, i) }));
    return texts.length > 0 ? [...new Set(texts)].join(' ') : undefined;
  };

  const name = nameText ?? draft.name;
  const nameError = name.trim() === '' ? t('composer.issues.name_required') : undefined;
  const price = priceText ?? (draft.priceMicros === null ? '' : money.input(draft.priceMicros, 2));
  const parsedPrice = price.trim() === '' ? null : money.parse(price);
  const priceError = price.trim() !== '' && parsedPrice === null ? t('composer.issues.price_format') : issueAt('priceMicros');
  const media = mediaText ?? draft.mediaRefs.join('\n');
  const ai = draft.personalization !== 'template';

  const onGenerate = async () => {
    setAttempted(true);
    if (!(await save())) return;
    generate.mutate({ id }, { onSuccess: () => navigate(paths.campaign(id)) });
  };

  return (
    <section className="composer-page stack" aria-labelledby="page-title">
      <div className="composer-head">
        <PageHeading>{t('composer.title')}</PageHeading>
        <div className="actions">
          <SaveIndicator state={state} onRetry={() => void save()} />
          <button type="button" className="secondary" onClick={() => void save()} aria-keyshortcuts={SAVE_DRAFT_KEYS} title={t('composer.saveShortcut')}>
            {t('composer.saveNow')}
          </button>
          <button type="button" onClick={() => void onGenerate()} disabled={generate.isPending} aria-busy={generate.isPending || undefined} data-testid="generate">
            {t(ai ? 'composer.generate' : 'composer.generateTemplate')}
          </button>
        </div>
      </div>
      <p className="muted"><Link href={paths.page('campaigns')}>{t('composer.back')}</Link></p>
      {campaign.state === 'ready' && <p className="notice warn" data-testid="ready-note">{t('composer.readyNote')}</p>}
      {error && state === 'error' && <p className="error" role="alert">{describeError(t, error)}</p>}
      {generate.error && <p className="error" role="alert" data-testid="generate-error">{describeError(t, { ...generate.error, issues: [] })}</p>}
      <div className="composer">
        <div className="composer-main">
          <div className="card">
            <h2>{t('composer.message')}</h2>
            <Field
              id="composer-name"
              label={t('composer.name')}
              value={name}
              maxLength={MAX_CAMPAIGN_NAME}
              error={nameError}
              onChange={(v) => {
                setNameText(v);
                // An empty name is kept on screen but not sent: the core requires one.
                change({ name: v }, { send: v.trim() !== '' });
              }}
            />
            <div className="field">
              <label htmlFor="composer-type">{t('composer.type')}</label>
              <select id="composer-type" value={draft.type} onChange={(e) => change({ type: e.target.value as Campaign['type'] })}>
                {CAMPAIGN_TYPES.map((type) => <option key={type} value={type}>{t(`campaigns.types.${type}`)}</option>)}
              </select>
            </div>
            {draft.type === 'ppv_offer' && (
              <div className="two">
                <Field
                  id="composer-price"
                  label={t('composer.price')}
                  value={price}
                  inputMode="decimal"
                  help={t('composer.priceHelp')}
                  error={priceError}
                  onChange={(v) => {
                    setPriceText(v);
                    const micros = v.trim() === '' ? null : money.parse(v);
                    if (v.trim() === '' || micros !== null) change({ priceMicros: micros });
                  }}
                />
                <div className="field">
                  <label htmlFor="composer-media">{t('composer.media')}</label>
                  <textarea
                    id="composer-media"
                    rows={3}
                    value={media}
                    aria-invalid={issueAt('mediaRefs') ? true : undefined}
                    aria-describedby="composer-media-note"
                    onChange={(e) => {
                      setMediaText(e.target.value);
                      change({ mediaRefs: e.target.value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean).slice(0, MAX_MEDIA_REFS) });
                    }}
                  />
                  <small id="composer-media-note" className={issueAt('mediaRefs') ? 'error' : undefined}>{issueAt('mediaRefs') ?? t('composer.mediaHelp')}</small>
                </div>
              </div>
            )}
            <TemplateEditor value={draft.template} onChange={(template) => change({ template })} error={issueAt('template')} />
          </div>

          <div className="card">
            <h2>{t('composer.audience.title')}</h2>
            <div className="field">
              <label htmlFor="composer-account">{t('composer.account')}</label>
              <select
                id="composer-account"
                value={draft.accountId ?? ''}
                aria-invalid={issueAt('accountId') ? true : undefined}
                aria-describedby={issueAt('accountId') ? 'composer-account-note' : undefined}
                onChange={(e) => change({ accountId: e.target.value === '' ? null : e.target.value })}
              >
                <option value="">{t('composer.pickAccount')}</option>
                {(accounts.data ?? []).map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
              </select>
              {issueAt('accountId') && <small id="composer-account-note" className="error">{issueAt('accountId')}</small>}
              {accounts.data?.length === 0 && (
                <small>
                  {t('composer.noAccounts')} <Link href={paths.settings('accounts')}>{t('composer.audience.toAccounts')}</Link>
                </small>
              )}
            </div>
            <AudiencePicker key={draft.accountId ?? ''} accountId={draft.accountId} value={draft.audience} onChange={(audience) => change({ audience })} error={issueAt('audience')} />
          </div>

          <div className="card">
            <h2>{t('composer.personalization.title')}</h2>
            <fieldset>
              <legend>{t('composer.personalization.label')}</legend>
              {PERSONALIZATION_MODES.map((mode) => (
                <label key={mode} className="choice">
                  <input type="radio" name="personalization" checked={draft.personalization === mode} onChange={() => change({ personalization: mode })} />
                  <span>
                    {t(`composer.personalization.${mode}`)} <small className="muted">{t(`composer.personalization.${mode}Help`)}</small>
                  </span>
                </label>
              ))}
            </fieldset>
            {draft.personalization === 'ai_variants' && (
              <div className="field">
                <label htmlFor="composer-variants">{t('composer.personalization.variants')}</label>
                <select id="composer-variants" value={draft.variants} onChange={(e) => change({ variants: Number(e.target.value) })}>
                  {Array.from({ length: VARIANTS.max - VARIANTS.min + 1 }, (_, i) => VARIANTS.min + i).map((n) => <option key={n} value={n}>{n}</option>)}
                </select>
              </div>
            )}
            {draft.accountId !== null && <PersonaSection key={draft.accountId} accountId={draft.accountId} />}
          </div>

          <div className="card">
            <h2>{t('composer.schedule.title')}</h2>
            <fieldset aria-describedby={issueAt('startAt') ? 'composer-start-note' : undefined}>
              <legend>{t('composer.schedule.label')}</legend>
              <label className="choice">
                <input type="radio" name="schedule" checked={draft.startAt === null} onChange={() => change({ startAt: null })} />
                {t('composer.schedule.now')}
              </label>
              <label className="choice">
                <input
                  type="radio"
                  name="schedule"
                  checked={draft.startAt !== null}
                  onChange={() => change({ startAt: Math.ceil((Date.now() + 3_600_000) / 60_000) * 60_000 })}
                />
                {t('composer.schedule.at')}
              </label>
              {draft.startAt !== null && (
                <div className="field">
                  <label htmlFor="composer-start">{t('composer.schedule.when')}</label>
                  <input
                    id="composer-start"
                    type="datetime-local"
                    value={toLocalInput(draft.startAt)}
                    aria-invalid={issueAt('startAt') ? true : undefined}
                    onChange={(e) => {
                      const ms = fromLocalInput(e.target.value);
                      if (ms !== null) change({ startAt: ms });
                    }}
                  />
                </div>
              )}
              {issueAt('startAt') && <small id="composer-start-note" className="error">{issueAt('startAt')}</small>}
            </fieldset>
          </div>
        </div>
        <div className="composer-side">
          <PreviewPanel id={id} ready={campaign.accountId !== null && campaign.audience !== null} ai={ai} />
        </div>
      </div>
    </section>
  );
}
