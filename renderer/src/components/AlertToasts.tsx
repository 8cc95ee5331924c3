import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import type { EventPayload } from '../../../shared/contract';
import { api } from '../api/client';

type Fired = EventPayload<'alert.fired'>;
const MAX_TOASTS = 4;

/**
 * Alerts for this machine's operator under the browser host: a toast in the page and, when the
 * browser allows it, a system notification; clicking either opens the alert. In the desktop app
 * the shell shows the OS notification and its click arrives here as `alert.open`.
 */
export function AlertToasts() {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [toasts, setToasts] = useState<Fired[]>([]);

  useEffect(() => {
    const offFired = api.on('alert.fired', (alert) => {
      setToasts((list) => [alert, ...list.filter((a) => a.id !== alert.id)].slice(0, MAX_TOASTS));
      if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
        const n = new Notification(alert.title, { body: alert.body, tag: alert.id });
        n.onclick = () => {
          window.focus();
          navigate(alert.path);
          n.close();
        };
      }
    });
    const offOpen = api.on('alert.open', ({ path }) => navigate(path));
    // A huntaze:// link the shell was handed opens the same way.
    const offCampaign = api.on('campaign.open', ({ path }) => navigate(path));
    return () => {
      offFired();
      offOpen();
      offCampaign();
    };
  }, [navigate]);

  if (toasts.length === 0) return null;
  const dismiss = (id: string) => setToasts((list) => list.filter((a) => a.id !== id));
  const canAsk = typeof Notification !== 'undefined' && Notification.permission === 'default';
  return (
    <div className="toasts" role="region" aria-label={t('alertToasts.label')}>
      {toasts.map((alert) => (
        <div key={alert.id} className={`toast toast-${alert.level}`} role="status" data-testid="alert-toast">
          <button type="button" className="toast-open" onClick={() => (dismiss(alert.id), navigate(alert.path))}>
            <strong>{alert.title}</strong>
            <span>{alert.body}</span>
          </button>
          <button type="button" className="secondary" aria-label={t('alertToasts.dismiss')} onClick={() => dismiss(alert.id)}>
            ×
          </button>
        </div>
      ))}
      {canAsk && (
        <button type="button" className="secondary" onClick={() => void Notification.requestPermission()}>
          {t('alertToasts.allowNotifications')}
        </button>
      )}
    </div>
  );
}
