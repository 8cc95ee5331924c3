import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { api, isConnected, useConnection } from '../../api/client';
import { call } from '../../api/query';
import type { AppErrorData } from '../../../../shared/result';
import { paths } from '../../routing/routes';

/** What aria-keyshortcuts and the buttons' titles announce. */
export const NEW_CAMPAIGN_KEYS = 'Control+N Meta+N';
export const SAVE_DRAFT_KEYS = 'Control+S Meta+S';

export const isShortcut = (e: KeyboardEvent, key: string) =>
  (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === key;

/**
 * A new draft named "Untitled campaign" (in the operator's language), then its composer. The
 * list sits under it in the history, so Back from the composer lands on the list wherever the
 * operator started.
 */
export function useCreateCampaign() {
  const { t } = useTranslation();
  const [location, navigate] = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorData | null>(null);
  const inFlight = useRef(false);
  const create = useCallback(async () => {
    // A held key repeats: one draft per press.
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const c = await call('campaigns.create', { name: t('campaigns.untitled') });
      if (location !== paths.page('campaigns')) navigate(paths.page('campaigns'));
      navigate(paths.campaignEdit(c.id));
    } catch (e) {
      setError(e as AppErrorData);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, [t, location, navigate]);
  return { create, busy, error };
}

/**
 * Ctrl/Cmd+N anywhere in the app, text fields included (the key types nothing there). The
 * browser keeps Ctrl+N for a new window when it does not let a page have it; where it does,
 * preventDefault keeps the page's meaning. In the desktop app this handler stays the key's only
 * road: the File menu shows the accelerator without registering it (Windows, Linux), and on macOS
 * a key the page prevented never reaches the menu; the menu's click arrives as `app.command`.
 */
export function useNewCampaignShortcut() {
  const { create } = useCreateCampaign();
  const connected = useConnection(isConnected);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isShortcut(e, 'n')) return;
      e.preventDefault();
      if (connected && !e.repeat) void create();
    };
    window.addEventListener('keydown', onKey);
    const offCommand = api.on('app.command', ({ command }) => {
      if (command === 'new-campaign' && connected) void create();
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      offCommand();
    };
  }, [create, connected]);
}
