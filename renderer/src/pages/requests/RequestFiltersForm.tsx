import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { PROVIDER_IDS, PURPOSES } from '../../../../shared/ai';
import { REQUEST_OUTCOMES } from '../../../../shared/requests';

export interface FilterDraft {
  provider: string;
  outcome: string;
  purpose: string;
  campaign: string;
  search: string;
}
export const NO_FILTERS: FilterDraft = { provider: '', outcome: '', purpose: '', campaign: '', search: '' };

/** Provider, outcome, purpose and campaign narrow the log; search matches a piece of an id, campaign, operator or model. */
export function RequestFiltersForm({ value, onChange }: { value: FilterDraft; onChange: (next: FilterDraft) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const set = (key: keyof FilterDraft) => (e: { target: { value: string } }) => onChange({ ...value, [key]: e.target.value });
  const select = (key: 'provider' | 'outcome' | 'purpose', options: readonly string[], label: (o: string) => string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{t(`requestLog.filters.${key}`)}</label>
      <select id={`${id}-${key}`} value={value[key]} onChange={set(key)}>
        <option value="">{t('requestLog.filters.all')}</option>
        {options.map((o) => (
          <option key={o} value={o}>{label(o)}</option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="grid-form four request-filters" role="search" aria-label={t('requestLog.filters.label')}>
      {select('provider', PROVIDER_IDS, (p) => t(`providers.names.${p}`))}
      {select('outcome', REQUEST_OUTCOMES, (o) => t(`playground.outcomes.${o}`))}
      {select('purpose', PURPOSES, (p) => t(`purposes.${p}`))}
      <div className="field">
        <label htmlFor={`${id}-campaign`}>{t('requestLog.filters.campaign')}</label>
        <input id={`${id}-campaign`} value={value.campaign} maxLength={128} placeholder={t('requestLog.filters.any')} onChange={set('campaign')} />
      </div>
      <div className="field span-2">
        <label htmlFor={`${id}-search`}>{t('requestLog.filters.search')}</label>
        <input id={`${id}-search`} type="search" value={value.search} maxLength={100} placeholder={t('requestLog.filters.searchHint')} onChange={set('search')} />
      </div>
    </div>
  );
}
