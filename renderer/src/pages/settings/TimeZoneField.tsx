import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { describeError } from '../../api/errors';
import { useAct } from '../../api/query';
import { RebuildProgress } from '../../components/RebuildProgress';
import { settingsSchema } from '../../../../shared/settings';

/** IANA names this browser knows, for the suggestions; the core validates whatever is typed. */
function knownZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: 'timeZone') => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

/** A text input with a datalist: type to search the zones, saved on Enter or when leaving the field. */
export function TimeZoneField({ zone, onError }: { zone: string; onError: (error: Parameters<typeof describeError>[1]) => void }) {
  const { t } = useTranslation();
  const save = useAct('settings.update');
  const zones = useMemo(() => knownZones(), []);
  const [draft, setDraft] = useState<string>();
  const value = draft ?? zone;
  const valid = settingsSchema.shape.timeZone.safeParse(value).success;

  const commit = () => {
    if (draft === undefined || draft === zone) return setDraft(undefined);
    if (!valid) return;
    save.mutate({ timeZone: draft }, { onSuccess: () => setDraft(undefined), onError });
  };

  return (
    <>
      <label htmlFor="timeZone">{t('settings.timeZone')}</label>
      <input
        id="timeZone"
        name="timeZone"
        list="timeZone-options"
        value={value}
        maxLength={64}
        autoComplete="off"
        aria-invalid={!valid}
        aria-describedby="timeZone-help"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
      <datalist id="timeZone-options">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <small id="timeZone-help" className={valid ? undefined : 'error'}>
        {valid ? t('settings.timeZoneHelp') : t('validation.custom.time_zone')}
      </small>
      <RebuildProgress />
    </>
  );
}
