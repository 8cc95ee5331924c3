import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ARCHIVABLE_STATES, CAMPAIGN_STATES, type Campaign, type CampaignState, type CampaignSummary, EDITABLE_STATES, MAX_LIST_PAGE } from '../../../../shared/campaigns';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { PageHeading } from '../../components/PageHeading';
import { useMoney } from '../../lib/money';
import { paths } from '../../routing/routes';
import { useNow } from '../limits/time';
import { NEW_CAMPAIGN_KEYS, useCreateCampaign } from './newCampaign';
import { useProgressRefresh } from './progressRefresh';
import './campaigns.css';

/** "in 4 min", "in 2 h": how far the last queued send is, in the operator's language. */
export function relativeEta(locale: string, etaAt: number | null, now: number): string {
  if (etaAt === null) return '—';
  const fmt = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  const minutes = Math.max(0, Math.round((etaAt - now) / 60_000));
  if (minutes < 1) return fmt.format(0, 'minute');
  if (minutes < 120) return fmt.format(minutes, 'minute');
  return fmt.format(Math.round(minutes / 60), 'hour');
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function Row({ c, summary, account }: { c: Campaign; summary: CampaignSummary | undefined; account: string | undefined }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const now = useNow();
  const duplicate = useAct('campaigns.duplicate');
  const archive = useAct('campaigns.archive');
  const progress = summary?.progress ?? 0;
  const failed = duplicate.error ?? archive.error;
  return (
    <tr data-testid="campaign-row" data-state={c.state} data-id={c.id}>
      <th scope="row">
        <Link href={paths.campaign(c.id)}>{c.name}</Link>
        {failed && <small className="error block" role="alert">{describeError(t, failed)}</small>}
      </th>
      <td>{t(`campaigns.types.${c.type}`)}</td>
      <td>{account ?? (c.accountId === null ? '—' : t('campaigns.accountGone'))}</td>
      <td><span className={`chip state-${c.state}`} data-testid="campaign-state">{t(`campaigns.states.${c.state}`)}</span></td>
      <td>
        <div className="campaign-progress">
          <progress max={1} value={progress} aria-label={t('campaigns.progressOf', { name: c.name })} />
          <span className="muted">
            {summary && summary.total > 0 && t('campaigns.progressText', { percent: Math.floor(progress * 100), total: summary.total.toLocaleString(i18n.language) })}
            {summary && summary.total === 0 && t('campaigns.notGenerated')}
          </span>
        </div>
      </td>
      <td className="num">{summary ? money.micros(summary.costMicros) : '—'}</td>
      <td className="nowrap">{relativeEta(i18n.language, summary?.etaAt ?? null, now)}</td>
      <td>
        <div className="row-actions">
          <Link href={paths.campaign(c.id)} aria-label={t('campaigns.openNamed', { name: c.name })}>{t('campaigns.open')}</Link>
          {EDITABLE_STATES.includes(c.state) && !c.archived && (
            <Link href={paths.campaignEdit(c.id)} aria-label={t('campaigns.editNamed', { name: c.name })}>{t('campaigns.edit')}</Link>
          )}
          <button type="button" className="link" aria-label={t('campaigns.duplicateNamed', { name: c.name })} aria-busy={duplicate.isPending || undefined} onClick={() => duplicate.mutate({ id: c.id, name: t('campaigns.copyName', { name: c.name }).slice(0, 120) })}>
            {t('campaigns.duplicate')}
          </button>
          {ARCHIVABLE_STATES.includes(c.state) && (
            <button type="button" className="link" aria-label={t(c.archived ? 'campaigns.unarchiveNamed' : 'campaigns.archiveNamed', { name: c.name })} onClick={() => archive.mutate({ id: c.id, archived: !c.archived })}>
              {t(c.archived ? 'campaigns.unarchive' : 'campaigns.archive')}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

/** The operator's campaigns (or the archive), each with its state, progress, spend so far and ETA. */
export function CampaignsPage() {
  const { t } = useTranslation();
  const [archived, setArchived] = useState(false);
  const [searchText, setSearchText] = useState('');
  const [state, setState] = useState<CampaignState | ''>('');
  const search = useDebounced(searchText.trim(), 250);
  const { create, busy, error: createError } = useCreateCampaign();
  const list = useCall('campaigns.list', { archived, limit: MAX_LIST_PAGE, ...(search ? { search } : {}), ...(state ? { states: [state] } : {}) });
  const accounts = useCall('accounts.list', {});
  const items = list.data?.items;
  const ids = useMemo(() => (items ?? []).map((c) => c.id), [items]);
  const summaries = useCall('campaigns.summaries', { ids }, { enabled: ids.length > 0 });
  useProgressRefresh(summaries.refetch, ids);
  const summaryOf = new Map((summaries.data ?? []).map((s) => [s.id, s]));
  const accountOf = new Map((accounts.data ?? []).map((a) => [a.id, a.name]));
  const filtered = search !== '' || state !== '';
  const firstVisit = !archived && !filtered && items?.length === 0;
  const error = list.error ?? createError;

  const newButton = (
    <button type="button" onClick={() => void create()} aria-busy={busy || undefined} disabled={busy} aria-keyshortcuts={NEW_CAMPAIGN_KEYS} title={t('campaigns.newShortcut')} data-testid="new-campaign">
      {t('campaigns.new')}
    </button>
  );

  return (
    <section className="campaigns-page stack" aria-labelledby="page-title">
      <div className="card-head">
        <PageHeading>{t('campaigns.title')}</PageHeading>
        {!firstVisit && <div className="actions">{newButton}</div>}
      </div>
      {error && <p className="error" role="alert">{describeError(t, error)}</p>}
      {firstVisit ? (
        <div className="empty" data-testid="campaigns-empty">
          <strong>{t('campaigns.empty.title')}</strong>
          <p>{t('campaigns.empty.body')}</p>
          <div className="actions">{newButton}</div>
          <p className="muted">{t('campaigns.empty.shortcut')}</p>
        </div>
      ) : (
        <>
          <div className="campaign-filters">
            <div className="segmented" role="group" aria-label={t('campaigns.which')}>
              <button type="button" aria-pressed={!archived} onClick={() => setArchived(false)}>{t('campaigns.working')}</button>
              <button type="button" aria-pressed={archived} onClick={() => setArchived(true)} data-testid="archive-toggle">{t('campaigns.archived')}</button>
            </div>
            <div className="field">
              <label htmlFor="campaign-search">{t('campaigns.search')}</label>
              <input id="campaign-search" type="search" value={searchText} onChange={(e) => setSearchText(e.target.value)} placeholder={t('campaigns.searchPlaceholder')} />
            </div>
            <div className="field">
              <label htmlFor="campaign-state">{t('campaigns.state')}</label>
              <select id="campaign-state" value={state} onChange={(e) => setState(e.target.value as CampaignState | '')}>
                <option value="">{t('campaigns.allStates')}</option>
                {CAMPAIGN_STATES.map((s) => <option key={s} value={s}>{t(`campaigns.states.${s}`)}</option>)}
              </select>
            </div>
          </div>
          {items && items.length === 0 && <p className="muted" data-testid="campaigns-none">{archived && !filtered ? t('campaigns.archiveEmpty') : t('campaigns.noMatch')}</p>}
          {items && items.length > 0 && (
            <div className="table-wrap">
              <table className="table campaigns-table">
                <caption className="visually-hidden">{archived ? t('campaigns.archived') : t('campaigns.working')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('campaigns.cols.name')}</th>
                    <th scope="col">{t('campaigns.cols.type')}</th>
                    <th scope="col">{t('campaigns.cols.account')}</th>
                    <th scope="col">{t('campaigns.cols.state')}</th>
                    <th scope="col">{t('campaigns.cols.progress')}</th>
                    <th scope="col" className="num">{t('campaigns.cols.cost')}</th>
                    <th scope="col">{t('campaigns.cols.eta')}</th>
                    <th scope="col">{t('campaigns.cols.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((c) => <Row key={c.id} c={c} summary={summaryOf.get(c.id)} account={c.accountId === null ? undefined : accountOf.get(c.accountId)} />)}
                </tbody>
              </table>
            </div>
          )}
          {list.data?.nextCursor && <p className="muted">{t('campaigns.more', { count: MAX_LIST_PAGE })}</p>}
        </>
      )}
      {!list.data && !list.error && <p className="muted">{t('campaigns.loading')}</p>}
    </section>
  );
}
