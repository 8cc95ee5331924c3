import { useTranslation } from 'react-i18next';
import { type CampaignStatus, RECIPIENT_STATUSES, type RecipientStatus } from '../../../../shared/campaigns';
import { useNow } from '../limits/time';
import { AiStatus } from './AiStatus';
import type { Progress } from './live';
import { relativeFrom } from './relative';

interface Props {
  status: CampaignStatus | undefined;
  progress: Progress | null;
  filter: RecipientStatus | null;
  onFilter(status: RecipientStatus | null): void;
}

/** Counts per recipient status (each a filter of the table), the sending bar, its ETA, generation and the AI's state (waiting for it, or the template standing in). */
export function CampaignStatusPanel({ status, progress, filter, onFilter }: Props) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const n = (v: number) => v.toLocaleString(i18n.language);
  if (!status) return null;
  const writing = progress?.phase === 'generate' && !progress.finished ? progress : null;
  const settled = status.counts.sent + status.counts.failed + status.counts.unknown + status.counts.blocked;
  return (
    <section className="card stack campaign-status" aria-labelledby="status-title" data-testid="campaign-status">
      <h2 id="status-title">{t('campaign.status.title')}</h2>
      {writing && (
        <div className="campaign-progress" data-testid="generation-progress">
          <label htmlFor="generation-bar">{t('campaign.status.writing', { done: n(writing.done), total: n(writing.total) })}</label>
          <progress id="generation-bar" max={Math.max(1, writing.total)} value={writing.done} />
        </div>
      )}
      <div className="campaign-progress">
        <label htmlFor="send-bar" data-testid="send-progress">
          {t('campaign.status.settled', { done: n(settled), total: n(status.total), percent: Math.round(status.progress * 100) })}
        </label>
        <progress id="send-bar" max={1} value={status.progress} data-progress={status.progress} />
      </div>
      {status.etaAt !== null && (
        <p className="muted" data-testid="campaign-eta">{t('campaign.status.eta', { when: relativeFrom(status.etaAt, now, i18n.language) })}</p>
      )}
      <AiStatus id={status.id} />
      <div className="chips status-chips" role="group" aria-label={t('campaign.status.filter')}>
        <button type="button" className="chip" aria-pressed={filter === null} onClick={() => onFilter(null)} data-testid="filter-all">
          {t('campaign.status.all', { n: n(status.total) })}
        </button>
        {RECIPIENT_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`chip status-${s}`}
            aria-pressed={filter === s}
            onClick={() => onFilter(filter === s ? null : s)}
            data-testid="filter-chip"
            data-status={s}
            data-count={status.counts[s]}
          >
            {t(`campaign.recipientStatus.${s}`)} <strong>{n(status.counts[s])}</strong>
          </button>
        ))}
      </div>
    </section>
  );
}
