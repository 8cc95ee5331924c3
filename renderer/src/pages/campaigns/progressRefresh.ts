import { useEffect, useRef } from 'react';
import { api } from '../../api/client';

/** At most one refresh per this many ms, however fast progress arrives (many a second while sending). */
const EVERY_MS = 1000;

/**
 * Refreshes the list's figures when a campaign in view reports progress: the first event at
 * once, then at most once a second while they keep coming, and once more after the last so the
 * final figures are shown.
 */
export function useProgressRefresh(refresh: () => unknown, ids: readonly string[]) {
  const latest = useRef({ refresh, ids: new Set(ids) });
  useEffect(() => {
    latest.current = { refresh, ids: new Set(ids) };
  }, [refresh, ids]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let again = false;
    const fire = () => {
      void latest.current.refresh();
      timer = setTimeout(() => {
        timer = null;
        if (again) {
          again = false;
          fire();
        }
      }, EVERY_MS);
    };
    const off = api.on('campaigns.progress', (p) => {
      if (!latest.current.ids.has(p.id)) return;
      if (timer === null) fire();
      else again = true;
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, []);
}
