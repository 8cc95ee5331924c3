import { type ReactNode, useCallback, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { Measures } from '../../../../shared/costs';
import type { Output } from '../../../../shared/contract';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { useMoney } from '../../lib/money';
import { paths } from '../../routing/routes';
import { type ChartLine, dailyChart } from './chartData';
import { presetRange, RANGE_PRESETS, type RangePreset } from './ranges';
import type { CostScope } from './scope';
import { SpendChart } from './SpendChart';
import './team.css';

type TeamCosts = Output<'team.costs'>;
type Preset = Exclude<RangePreset, 'custom'>;
const TEAM_PRESETS = RANGE_PRESETS.filter((p): p is Preset => p !== 'custom');
/** These mean the team layer is not switched on or not set up: an explanation, not a failure. */
const SETUP_CODES = new Set(['team_off', 'team_not_configured', 'team_table_missing']);

/** "This seat | Team"; in Sandbox mode the team side is disabled and says why. */
export function ScopeSwitch({ scope, onChange, sandbox }: { scope: CostScope; onChange: (s: CostScope) => void; sandbox: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="stack">
      <div className="scope-switch" role="group" aria-label={t('teamCosts.switchLabel')} data-testid="cost-scope">
        <button type="button" aria-pressed={scope === 'seat'} onClick={() => onChange('seat')} data-testid="scope-seat">{t('teamCosts.seat')}</button>
        <button type="button" aria-pressed={scope === 'team' && !sandbox} disabled={sandbox} onClick={() => onChange('team')} data-testid="scope-team">{t('teamCosts.team')}</button>
      </div>
      {sandbox && <p className="muted" data-testid="team-sandbox-note">{t('teamCosts.sandbox')}</p>}
    </div>
  );
}

function Table<R extends Measures>({ title, rows, total, label, testId, head }: { title: string; rows: R[]; total: number; label: (r: R) => ReactNode; testId: string; head: string }) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <div className="card">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t('teamCosts.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid={testId}>
            <thead>
              <tr>
                <th scope="col">{head}</th>
                <th scope="col" className="num">{t('costs.breakdown.requests')}</th>
                <th scope="col" className="num">{t('costs.breakdown.share')}</th>
                <th scope="col" className="num">{t('costs.breakdown.cost')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-testid={`${testId}-row`} data-micros={r.micros}>
                  <td>{label(r)}</td>
                  <td className="num">{money.count(r.requests)}</td>
                  <td className="num">{total > 0 ? t('costs.breakdown.percent', { value: ((r.micros / total) * 100).toLocaleString(money.locale, { maximumFractionDigits: 1 }) }) : '—'}</td>
                  <td className="num">{money.micros(r.micros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function TeamFigures({ data }: { data: TeamCosts }) {
  const { t } = useTranslation();
  const money = useMoney();
  const chart = useMemo(() => dailyChart({ zone: data.zone, days: data.days, totals: data.totals, series: data.series.map((s) => ({ ...s, model: null })) }, undefined), [data]);
  const label = useCallback(
    (line: ChartLine) => (line.role === 'provider' ? t(`providers.names.${line.provider}`, { defaultValue: line.provider }) : t(`costs.chart.${line.role}`)),
    [t],
  );
  const provider = (p: string) => t(`providers.names.${p}`, { defaultValue: p });
  return (
    <>
      <dl className="cost-tiles">
        <div className="card cost-tile" data-testid="team-total" data-micros={data.total.micros}>
          <dt>{t('teamCosts.total')}</dt>
          <dd className="cost-figure small">{money.micros(data.total.micros)}</dd>
          <dd className="muted">{t('costs.requests', { count: data.total.requests, formatted: money.count(data.total.requests) })}</dd>
        </div>
        <div className="card cost-tile" data-testid="team-seats" data-count={data.bySeat.length}>
          <dt>{t('teamCosts.seats')}</dt>
          <dd className="cost-figure small">{money.count(data.bySeat.length)}</dd>
        </div>
      </dl>
      {data.skipped > 0 && <p className="warn-text" data-testid="team-skipped">{t('teamCosts.skipped', { count: data.skipped })}</p>}
      <div className="card">
        <div className="card-head">
          <h2>{t('teamCosts.chartTitle')}</h2>
          <small className="muted">{t('costs.zone', { zone: data.zone })}</small>
        </div>
        <SpendChart data={chart} label={label} dayLabel={t('costs.chart.day')} money={money.dollars} locale={money.locale} testId="team-chart" title={t('teamCosts.chartTitle')} />
      </div>
      <div className="team-tables">
        <Table
          title={t('teamCosts.bySeat')}
          head={t('teamCosts.operator')}
          rows={data.bySeat}
          total={data.total.micros}
          testId="team-by-seat"
          label={(r) => (
            <span data-seat={r.seat}>
              {r.operator}
              {r.thisSeat && <strong> {t('teamCosts.thisSeat')}</strong>}
            </span>
          )}
        />
        <Table title={t('teamCosts.byProvider')} head={t('costs.dimensions.provider')} rows={data.byProvider} total={data.total.micros} testId="team-by-provider" label={(r) => provider(r.provider)} />
        <Table title={t('teamCosts.byModel')} head={t('costs.dimensions.model')} rows={data.byModel} total={data.total.micros} testId="team-by-model" label={(r) => `${provider(r.provider)} · ${r.model}`} />
        <Table
          title={t('teamCosts.byCampaign')}
          head={t('costs.dimensions.campaign')}
          rows={data.byCampaign}
          total={data.total.micros}
          testId="team-by-campaign"
          label={(r) => (r.campaign === null ? t('costs.breakdown.none') : (r.name ?? r.campaign))}
        />
      </div>
    </>
  );
}

/** The whole team's spend, plainly labelled as such, from every seat's synced aggregates (Sandbox never reaches here). */
export function TeamCostsView({ today, seatView }: { today: string; seatView: ReactNode }) {
  const { t } = useTranslation();
  const money = useMoney();
  const id = useId();
  const [preset, setPreset] = useState<Preset>('last30');
  const { data, error, isPending } = useCall('team.costs', presetRange(preset, today), { retry: false });
  const asOf = data?.asOf != null ? new Intl.DateTimeFormat(money.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(data.asOf) : null;

  return (
    <div className="stack" data-testid="team-costs">
      <div className="card team-banner">
        <h2>{t('teamCosts.heading')}</h2>
        <p className="muted">{t('teamCosts.explain')}</p>
        {asOf && <p data-testid="team-as-of">{t('teamCosts.asOf', { when: asOf })}</p>}
        {data && data.asOf === null && <p className="muted">{t('teamCosts.nothingYet')}</p>}
        <div className="field">
          <label htmlFor={`${id}-range`}>{t('costs.breakdown.range')}</label>
          <select id={`${id}-range`} value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
            {TEAM_PRESETS.map((p) => (
              <option key={p} value={p}>{t(`costs.ranges.${p}`)}</option>
            ))}
          </select>
        </div>
      </div>
      {error && SETUP_CODES.has(error.code) && (
        <div className="empty" data-testid="team-setup">
          <strong>{t('teamCosts.setupTitle')}</strong>
          <p>{describeError(t, error)}</p>
          <p className="actions">
            <Link href={paths.settings('general')}>{t('teamCosts.openSettings')}</Link>
          </p>
        </div>
      )}
      {/* Unreachable: the seat's own figures still stand, so they show under the notice. */}
      {error && !SETUP_CODES.has(error.code) && (
        <>
          <p className="error" role="alert" data-testid="team-error">{describeError(t, error)}</p>
          {seatView}
        </>
      )}
      {!error && isPending && <p>{t('costs.loading')}</p>}
      {data && <TeamFigures data={data} />}
    </div>
  );
}
