import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROVIDER_IDS, PURPOSES } from '../../../../shared/ai';
import { COST_DIMENSIONS, type BreakdownInput, type CostDimension } from '../../../../shared/costs';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { breakdownCsv } from './csv';
import { downloadText } from './download';
import { useMoney } from '../../lib/money';
import { presetRange, RANGE_PRESETS, type RangePreset } from './ranges';

const TOPS = [5, 10, 20, 50, 100] as const;
type Filters = NonNullable<BreakdownInput['filters']>;
const TEXT_FILTERS = ['model', 'campaign', 'operator'] as const;

/** Spend for one range grouped by one to three dimensions, filtered, top N with the rest as "other", exportable as CSV. */
export function BreakdownSection({ today }: { today: string }) {
  const { t } = useTranslation();
  const money = useMoney();
  const id = useId();
  const [groupBy, setGroupBy] = useState<(CostDimension | '')[]>(['provider', '', '']);
  const [preset, setPreset] = useState<RangePreset>('last30');
  const [custom, setCustom] = useState(() => presetRange('last30', today));
  const [filters, setFilters] = useState<Record<keyof Filters, string>>({ provider: '', model: '', purpose: '', campaign: '', operator: '' });
  const [top, setTop] = useState<number>(20);

  const range = preset === 'custom' ? custom : presetRange(preset, today);
  const dims = groupBy.filter((d): d is CostDimension => d !== '');
  const applied = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()])) as Filters;
  const { data, error, isPending } = useCall('costs.breakdown', { ...range, groupBy: dims, filters: applied, top });

  const keyLabel = (d: CostDimension, v: string | null | undefined) => {
    if (v === null || v === undefined) return t('costs.breakdown.none');
    if (d === 'provider') return t(`providers.names.${v}`, { defaultValue: v });
    if (d === 'purpose') return t(`purposes.${v}`, { defaultValue: v });
    return v;
  };
  const exportCsv = () => {
    if (!data) return;
    const csv = breakdownCsv(data, {
      dimension: (d) => t(`costs.dimensions.${d}`),
      requests: t('costs.breakdown.requests'),
      inputTokens: t('costs.breakdown.inputTokens'),
      cachedInputTokens: t('costs.breakdown.cachedInputTokens'),
      outputTokens: t('costs.breakdown.outputTokens'),
      costUsd: t('costs.breakdown.costUsd'),
      other: t('costs.breakdown.other'),
    });
    downloadText(`huntaze-costs-${data.from}-${data.to}.csv`, csv);
  };
  const setGroup = (i: number, value: CostDimension | '') =>
    setGroupBy((g) => {
      const next = [...g];
      next[i] = value;
      // A dimension picked twice would be refused; the later pick wins.
      return next.map((d, j) => (j !== i && d === value ? '' : d));
    });

  return (
    <div className="card" data-testid="breakdown">
      <div className="card-head">
        <h2>{t('costs.breakdown.title')}</h2>
        <button type="button" className="secondary" onClick={exportCsv} disabled={!data || data.rows.length === 0}>{t('costs.breakdown.export')}</button>
      </div>
      <div className="grid-form four breakdown-controls">
        {groupBy.map((g, i) => (
          <div className="field" key={i}>
            <label htmlFor={`${id}-group-${i}`}>{t('costs.breakdown.groupBy', { n: i + 1 })}</label>
            <select id={`${id}-group-${i}`} value={g} onChange={(e) => setGroup(i, e.target.value as CostDimension | '')}>
              {i > 0 && <option value="">{t('costs.breakdown.noGroup')}</option>}
              {COST_DIMENSIONS.map((d) => (
                <option key={d} value={d}>{t(`costs.dimensions.${d}`)}</option>
              ))}
            </select>
          </div>
        ))}
        <div className="field">
          <label htmlFor={`${id}-top`}>{t('costs.breakdown.top')}</label>
          <select id={`${id}-top`} value={top} onChange={(e) => setTop(Number(e.target.value))}>
            {TOPS.map((n) => (
              <option key={n} value={n}>{t('costs.breakdown.topN', { n })}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-range`}>{t('costs.breakdown.range')}</label>
          <select id={`${id}-range`} value={preset} onChange={(e) => setPreset(e.target.value as RangePreset)}>
            {RANGE_PRESETS.map((p) => (
              <option key={p} value={p}>{t(`costs.ranges.${p}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('costs.breakdown.from')}</label>
          <input id={`${id}-from`} type="date" value={range.from} disabled={preset !== 'custom'} onChange={(e) => setCustom((c) => ({ ...c, from: e.target.value }))} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('costs.breakdown.to')}</label>
          <input id={`${id}-to`} type="date" value={range.to} disabled={preset !== 'custom'} onChange={(e) => setCustom((c) => ({ ...c, to: e.target.value }))} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-provider`}>{t('costs.filters.provider')}</label>
          <select id={`${id}-provider`} value={filters.provider} onChange={(e) => setFilters((f) => ({ ...f, provider: e.target.value }))}>
            <option value="">{t('costs.filters.all')}</option>
            {PROVIDER_IDS.map((p) => (
              <option key={p} value={p}>{t(`providers.names.${p}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-purpose`}>{t('costs.filters.purpose')}</label>
          <select id={`${id}-purpose`} value={filters.purpose} onChange={(e) => setFilters((f) => ({ ...f, purpose: e.target.value }))}>
            <option value="">{t('costs.filters.all')}</option>
            {PURPOSES.map((p) => (
              <option key={p} value={p}>{t(`purposes.${p}`)}</option>
            ))}
          </select>
        </div>
        {TEXT_FILTERS.map((f) => (
          <div className="field" key={f}>
            <label htmlFor={`${id}-${f}`}>{t(`costs.filters.${f}`)}</label>
            <input id={`${id}-${f}`} value={filters[f]} placeholder={t('costs.filters.any')} onChange={(e) => setFilters((x) => ({ ...x, [f]: e.target.value }))} />
          </div>
        ))}
      </div>
      {error && <p className="error" role="alert">{describeError(t, error)}</p>}
      {isPending && !error && <p>{t('costs.loading')}</p>}
      {data && data.rows.length === 0 && <p className="muted" data-testid="breakdown-empty">{t('costs.breakdown.empty')}</p>}
      {data && data.rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="breakdown-table">
            <thead>
              <tr>
                {data.groupBy.map((d) => (
                  <th scope="col" key={d}>{t(`costs.dimensions.${d}`)}</th>
                ))}
                <th scope="col" className="num">{t('costs.breakdown.requests')}</th>
                <th scope="col" className="num">{t('costs.breakdown.inputTokens')}</th>
                <th scope="col" className="num">{t('costs.breakdown.outputTokens')}</th>
                <th scope="col" className="num">{t('costs.breakdown.share')}</th>
                <th scope="col" className="num">{t('costs.breakdown.cost')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r, i) => (
                <tr key={i} data-testid="breakdown-row" data-micros={r.micros} data-other={r.other}>
                  {data.groupBy.map((d, j) => (
                    <td key={d}>{r.other ? (j === 0 ? t('costs.breakdown.other') : '') : keyLabel(d, r.key[d])}</td>
                  ))}
                  <td className="num">{money.count(r.requests)}</td>
                  <td className="num">{money.count(r.inputTokens)}</td>
                  <td className="num">{money.count(r.outputTokens)}</td>
                  <td className="num">{data.total.micros > 0 ? t('costs.breakdown.percent', { value: ((r.micros / data.total.micros) * 100).toLocaleString(money.locale, { maximumFractionDigits: 1 }) }) : '—'}</td>
                  <td className="num">{money.micros(r.micros)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={data.groupBy.length}>{t('costs.breakdown.total')}</th>
                <td className="num">{money.count(data.total.requests)}</td>
                <td className="num">{money.count(data.total.inputTokens)}</td>
                <td className="num">{money.count(data.total.outputTokens)}</td>
                <td className="num" />
                <td className="num" data-testid="breakdown-total" data-micros={data.total.micros}>{money.micros(data.total.micros)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </div>
  );
}
