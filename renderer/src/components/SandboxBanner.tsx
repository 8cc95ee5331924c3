import { useTranslation } from 'react-i18next';
import { useCall } from '../api/query';

/** On every screen while Sandbox mode is on, so nobody mistakes simulated costs for real ones. */
export function SandboxBanner() {
  const { t } = useTranslation();
  const on = useCall('settings.get', {}).data?.sandboxMode ?? false;
  if (!on) return null;
  return (
    <div className="sandbox-banner" role="note" data-testid="sandbox-banner">
      <strong>{t('sandbox.badge')}</strong>
      <span>{t('sandbox.banner')}</span>
    </div>
  );
}
