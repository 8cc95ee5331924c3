import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/query';

/** A request's start, in the operator's language and the agency's time zone (as every Costs figure). */
export function useRequestTime(): (ts: number) => string {
  const { i18n } = useTranslation();
  const { data: settings } = useCall('settings.get', {});
  const zone = settings?.timeZone;
  return useMemo(() => {
    const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium', timeZone: zone });
    return (ts: number) => fmt.format(ts);
  }, [i18n.language, zone]);
}
