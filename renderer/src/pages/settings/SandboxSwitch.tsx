import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useAct } from '../../api/query';

/** Applies at once: every AI call goes to the built-in test provider while it is on. */
export function SandboxSwitch({ on }: { on: boolean }) {
  const { t } = useTranslation();
  const update = useAct('settings.update');
  // The switch follows the click at once (a mutation's own state arrives a tick later, and a
  // controlled input would snap back meanwhile); the banner and every page follow the core's answer.
  const [pending, setPending] = useState<boolean>();
  const toggle = (sandboxMode: boolean) => {
    setPending(sandboxMode);
    update.mutate({ sandboxMode }, { onSettled: () => setPending(undefined) });
  };

  return (
    <div className="card narrow" data-testid="sandbox-settings">
      <h2>{t('sandbox.title')}</h2>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={pending ?? on}
          disabled={pending !== undefined}
          aria-describedby="sandbox-help"
          onChange={(e) => toggle(e.target.checked)}
        />
        <span>{t('sandbox.switch')}</span>
      </label>
      <small id="sandbox-help" className="muted block">{t('sandbox.help')}</small>
      {update.error && <p className="error" role="alert">{t('settings.failed', { message: describeError(t, update.error) })}</p>}
    </div>
  );
}
