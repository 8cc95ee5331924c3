import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { EventPayload } from '../../../../shared/contract';
import { api } from '../../api/client';

export type Progress = EventPayload<'campaigns.progress'>;

/** Progress events come per batch of sends; the page reads again at most this often. */
const REFRESH_MS = 500;

/**
 * Follows one campaign live: its progress events (kept, for the generation line), and every event
 * that moves it (progress, changed, its sends) leads to one re-read of its status and rows per
 * interval, so a fast send queue never sets off a re-render per send.
 */
export function useCampaignLive(id: string, rows: { refresh(): void }): Progress | null {
  const client = useQueryClient();
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const refresh = () => {
      timer = null;
      last = performance.now();
      void client.invalidateQueries({ queryKey: ['campaigns.status', { id }] });
      rows.refresh();
    };
    const soon = () => {
      if (timer !== null) return;
      timer = setTimeout(refresh, Math.max(0, last + REFRESH_MS - performance.now()));
    };
    const offs = [
      api.on('campaigns.progress', (p) => {
        if (p.id !== id) return;
        setProgress(p);
        soon();
      }),
      api.on('campaigns.changed', (p) => {
        if (p.id === id || p.id === null) soon();
      }),
      api.on('sends.progress', (p) => {
        if (p.sends.some((s) => s.jobId === id)) soon();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      if (timer !== null) clearTimeout(timer);
    };
  }, [client, id, rows]);
  return progress;
}
