import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { type Campaign, CAMPAIGN_TRANSITIONS, type CampaignStatus, type RecipientStatus } from '../../../../shared/campaigns';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { PageHeading } from '../../components/PageHeading';
import { paths } from '../../routing/routes';
import { CampaignCosts } from './CampaignCosts';
import { CampaignStatusPanel } from './CampaignStatusPanel';
import { VariantsReport } from './VariantsReport';
import { useCampaignLive } from './live';
import { RecipientsTable } from './RecipientsTable';
import { useRecipientPages } from './recipientPages';
import './campaign.css';

/** What the operator can do from here, read off the state table (the core refuses the rest anyway). */
function CampaignActions({ campaign, status, generating }: { campaign: Campaign; status: CampaignStatus | undefined; generating: boolean }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [confirming, setConfirming] = useState(false);
  const id = campaign.id;
  const generate = useAct('campaigns.generate');
  const approve = useAct('campaigns.approve');
  const pause = useAct('campaigns.pause');
  const resume = useAct('campaigns.resume');
  const cancel = useAct('campaigns.cancel', { onSuccess: () => setConfirming(false) });
  const duplicate = useAct('campaigns.duplicate', { onSuccess: (copy) => navigate(paths.campaign(copy.id)) });
  const acts = [generate, approve, pause, resume, cancel, duplicate];
  const busy = acts.some((a) => a.isPending);
  const error = acts.find((a) => a.error)?.error;
  const next = CAMPAIGN_TRANSITIONS[campaign.state];
  const editable = campaign.state === 'draft' || campaign.state === 'ready';
  const allWritten = status !== undefined && status.total > 0 && status.counts.pending === 0 && status.counts.generated > 0;

  return (
    <div className="stack campaign-actions">
      <div className="actions">
        {editable && (
          <button type="button" onClick={() => generate.mutate({ id })} disabled={busy || generating}>
            {t('campaign.actions.generate')}
          </button>
        )}
        {campaign.state === 'ready' && (
          <button type="button" onClick={() => approve.mutate({ id })} disabled={busy || generating || !allWritten} aria-describedby={allWritten ? undefined : 'approve-why'}>
            {t('campaign.actions.approve')}
          </button>
        )}
        {next.includes('paused') && (
          <button type="button" onClick={() => pause.mutate({ id })} disabled={busy}>{t('campaign.actions.pause')}</button>
        )}
        {campaign.state === 'paused' && (
          <button type="button" onClick={() => resume.mutate({ id })} disabled={busy}>{t('campaign.actions.resume')}</button>
        )}
        {editable && <Link className="button secondary" href={`${paths.campaign(id)}/edit`}>{t('campaign.actions.edit')}</Link>}
        <button type="button" className="secondary" onClick={() => duplicate.mutate({ id, name: t('campaign.copyName', { name: campaign.name }).slice(0, 120) })} disabled={busy}>
          {t('campaign.actions.duplicate')}
        </button>
        {next.includes('cancelled') && !confirming && (
          <button type="button" className="secondary danger" onClick={() => setConfirming(true)} disabled={busy}>{t('campaign.actions.cancel')}</button>
        )}
      </div>
      {campaign.state === 'ready' && !allWritten && !generating && <p id="approve-why" className="muted">{t('campaign.approveWhy')}</p>}
      {confirming && (
        <div className="notice warn" role="group" aria-labelledby="cancel-q" data-testid="cancel-confirm">
          <p id="cancel-q">{t('campaign.cancelConfirm')}</p>
          <div className="actions">
            <button type="button" className="danger" onClick={() => cancel.mutate({ id })} disabled={busy}>{t('campaign.actions.cancelYes')}</button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>{t('campaign.actions.cancelNo')}</button>
          </div>
        </div>
      )}
      {error && <p className="error" role="alert">{describeError(t, error)}</p>}
    </div>
  );
}

/** A campaign's header, controls, live status, costs and every recipient, at `/campaigns/:id`. */
export function CampaignPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const campaign = useCall('campaigns.get', { id });
  const status = useCall('campaigns.status', { id }, { enabled: campaign.isSuccess });
  const accounts = useCall('accounts.list', {});
  const [filter, setFilter] = useState<RecipientStatus | null>(null);
  const pages = useRecipientPages(id, filter ? [filter] : []);
  const progress = useCampaignLive(id, pages);

  if (!campaign.data) {
    return (
      <section aria-labelledby="page-title">
        <PageHeading>{t('campaign.title')}</PageHeading>
        <dl className="facts">
          <dt>{t('campaign.id')}</dt>
          <dd><code data-testid="campaign-id">{id}</code></dd>
        </dl>
        {campaign.error ? (
          <div className="empty" data-testid="campaign-missing">
            <p>{campaign.error.code === 'campaign_not_found' ? t('campaign.missing') : describeError(t, campaign.error)}</p>
            <Link href={paths.page('campaigns')}>{t('campaign.back')}</Link>
          </div>
        ) : (
          <p className="muted">{t('campaign.loading')}</p>
        )}
      </section>
    );
  }

  const c = campaign.data;
  const account = accounts.data?.find((a) => a.id === c.accountId);
  const generating = progress?.phase === 'generate' && !progress.finished;
  return (
    <section className="stack campaign-page" aria-labelledby="page-title">
      <PageHeading>{c.name}</PageHeading>
      <div className="campaign-meta">
        <span className={`chip state state-${c.state}`} data-testid="campaign-state" data-state={c.state}>{t(`campaign.states.${c.state}`)}</span>
        <span>{t(`campaign.types.${c.type}`)}</span>
        <span>{account ? t('campaign.forAccount', { name: account.name }) : t('campaign.noAccount')}</span>
        <span>{t(`campaign.modes.${c.personalization}`)}</span>
        <code className="muted" data-testid="campaign-id">{c.id}</code>
      </div>
      <CampaignActions campaign={c} status={status.data} generating={generating} />
      <CampaignStatusPanel status={status.data} progress={progress} filter={filter} onFilter={setFilter} />
      {status.error && <p className="error" role="alert">{describeError(t, status.error)}</p>}
      {status.data && <VariantsReport variants={status.data.variants} />}
      <CampaignCosts id={id} />
      <section className="stack" aria-labelledby="recipients-title">
        <h2 id="recipients-title">{t('campaign.table.title')}</h2>
        <RecipientsTable key={filter ?? 'all'} pages={pages} variants={c.personalization === 'ai_variants'} filtered={filter !== null} />
      </section>
    </section>
  );
}
