import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useSettings } from '../../stores/settings';

/** Applies at once: every AI call goes to the built-in test provider while it is on. */
export function SandboxSwitch() {
  const { t } = useTranslation();
  const on = useSettings((s) => s.settings?.sandboxMode ?? false);
  const update = useSettings((s) => s.update);
  // The switch follows the click at once; the store (and the banner) follow main's answer.
  const [pending, setPending] = useState<boolean>();
  const [failure, setFailure] = useState<string>();

  const toggle = async (sandboxMode: boolean) => {
    setPending(sandboxMode);
    const error = await update({ sandboxMode });
    setPending(undefined);
    setFailure(error ? t('settings.failed', { message: describeError(t, error) }) : undefined);
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
          onChange={(e) => void toggle(e.target.checked)}
        />
        <span>{t('sandbox.switch')}</span>
      </label>
      <small id="sandbox-help" className="muted block">{t('sandbox.help')}</small>
      {failure && <p className="error" role="alert">{failure}</p>}
    </div>
  );
}
