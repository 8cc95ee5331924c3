import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isConnected, useConnection } from '../api/client';

export const CONNECTION_BANNER_ID = 'connection-banner';

/** What the operator should do about the host: wait while it reconnects, or open the new link. */
export function ConnectionBanner() {
  const { t, i18n } = useTranslation();
  const { state, lostAt } = useConnection();
  if (state === 'open') return null;
  const time = lostAt === null ? null : new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(lostAt);
  const text =
    state === 'closed'
      ? `${t('connection.reconnecting')} ${time ? t('connection.staleSince', { time }) : ''} ${t('connection.paused')}`
      : state === 'foreign'
        ? t('connection.openNewLink')
        : t(`app.connection.${state}`);
  return (
    <div className={state === 'foreign' ? 'banner danger' : 'banner'} role="status" id={CONNECTION_BANNER_ID} data-testid="connection-banner" data-state={state}>
      {text.replace(/\s+/g, ' ').trim()}
    </div>
  );
}

/**
 * Every control of the pages, disabled while the host is away: a change made then would be sent
 * to whichever host answers next, and the banner says why. What the pages show stays on screen,
 * as of the time the banner gives; typed values are kept.
 */
export function ActionsGate({ children }: { children: ReactNode }) {
  const connected = useConnection(isConnected);
  return (
    <fieldset className="actions-gate" disabled={!connected} aria-describedby={connected ? undefined : CONNECTION_BANNER_ID} data-stale={connected ? undefined : 'true'}>
      {children}
    </fieldset>
  );
}
