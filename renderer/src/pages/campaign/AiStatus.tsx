import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignStatus } from '../../../../shared/campaigns';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { useNow } from '../limits/time';

/** "in 2 minutes", "in 40 seconds": the wait rounded up, so it never reads "in 0". */
function relative(ms: number, locale: string): string {
  const fmt = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 60 ? fmt.format(s, 'second') : fmt.format(Math.ceil(s / 60), 'minute');
}

/**
 * The AI side of a campaign's generation, in the operator's words: waiting for an AI provider
 * that does not answer (with when it tries again, and a way not to wait), or how many messages
 * the template wrote instead of AI, and why. Nothing when AI wrote them all.
 */
export function AiStatus({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const { data: status } = useCall('campaigns.status', { id });
  const act = useAct('campaigns.useTemplate');
  const retry = useAct('campaigns.generate');
  const waitSeen = useRef<string | null>(null);

  // Generation progress is frequent; the status is read again only when a wait starts, moves its retry or ends, or the run finishes.
  useEffect(
    () =>
      api.on('campaigns.progress', (p) => {
        if (p.id !== id || p.phase !== 'generate') return;
        const wait = p.waitingForAi ? String(p.retryAt) : 'none';
        if (!p.finished && wait === waitSeen.current) return;
        waitSeen.current = wait;
        void client.invalidateQueries({ queryKey: ['campaigns.status', { id }] });
      }),
    [client, id],
  );

  if (!status) return null;
  const failed = act.error ?? retry.error;
  return (
    <AiStatusView
      status={status}
      locale={i18n.language}
      pending={act.isPending || retry.isPending}
      onUseTemplate={() => act.mutate({ id })}
      onRetry={() => retry.mutate({ id })}
      error={failed ? describeError(t, failed) : null}
    />
  );
}

interface ViewProps {
  status: CampaignStatus;
  locale: string;
  pending: boolean;
  onUseTemplate: () => void;
  onRetry: () => void;
  error: string | null;
}

function AiStatusView({ status, locale, pending, onUseTemplate, onRetry, error }: ViewProps) {
  const { t } = useTranslation();
  const now = useNow();
  const { generation, fromTemplate, total } = status;

  if (generation.waitingForAi && generation.retryAt !== null) {
    const time = new Date(generation.retryAt).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
    return (
      <div className="notice warn" role="status" data-testid="ai-status">
        <p>
          <strong>{t('campaignAi.waiting', { time, relative: relative(generation.retryAt - now, locale) })}</strong>
        </p>
        <p className="muted">{t('campaignAi.waitingHint')}</p>
        <div className="actions">
          <button type="button" className="secondary" onClick={onRetry} disabled={pending}>
            {t('campaignAi.retryNow')}
          </button>
          <button type="button" className="secondary" onClick={onUseTemplate} disabled={pending} aria-busy={pending}>
            {t('campaignAi.useTemplate')}
          </button>
        </div>
        {error && <p role="alert" className="error">{error}</p>}
      </div>
    );
  }
  if (fromTemplate > 0 && generation.fallback !== null) {
    return (
      <p className="notice warn" role="status" data-testid="ai-status">
        {t('campaignAi.fellBack', {
          count: fromTemplate,
          written: fromTemplate.toLocaleString(locale),
          total: total.toLocaleString(locale),
          reason: t(`campaignAi.reasons.${generation.fallback}`),
        })}
      </p>
    );
  }
  return null;
}
