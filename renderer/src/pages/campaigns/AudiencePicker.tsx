import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { BUILT_IN_SEGMENTS, type Segment, type SegmentCriterion } from '../../../../shared/audiences';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { paths } from '../../routing/routes';
import { FansPanel } from '../audiences/FansPanel';

const same = (a: Segment | null, b: Segment) => a !== null && JSON.stringify(a) === JSON.stringify(b);
/** Criteria a combination can be built from: each built-in segment's own (everyone has none). */
const CRITERIA = BUILT_IN_SEGMENTS.filter((s) => s.segment.all.length === 1).map((s) => ({ name: s.name, criterion: s.segment.all[0]! }));
const key = (c: SegmentCriterion) => JSON.stringify(c);

interface Combination {
  match: 'all' | 'any';
  criteria: SegmentCriterion[];
  tag: string;
}

function combinationOf(value: Segment | null): Combination {
  if (!value) return { match: 'all', criteria: [], tag: '' };
  const match = value.any.length > 0 ? 'any' : 'all';
  const list = match === 'any' ? value.any : value.all;
  const tag = list.find((c) => c.kind === 'has_tag');
  return { match, criteria: list.filter((c) => c.kind !== 'has_tag'), tag: tag?.kind === 'has_tag' ? tag.tag : '' };
}

function segmentOf(c: Combination): Segment {
  const list = [...c.criteria, ...(c.tag.trim() ? [{ kind: 'has_tag' as const, tag: c.tag.trim() }] : [])];
  return c.match === 'all' ? { all: list, any: [] } : { all: [], any: list };
}

/**
 * The campaign's audience: a built-in segment or a combination of their criteria and a tag,
 * each with its live count of the account's fans. The chosen audience is what generation targets.
 */
export function AudiencePicker({ accountId, value, onChange, error }: { accountId: string | null; value: Segment | null; onChange(segment: Segment): void; error?: string }) {
  const { t, i18n } = useTranslation();
  const builtIn = BUILT_IN_SEGMENTS.find((s) => same(value, s.segment));
  const [custom, setCustom] = useState(value !== null && !builtIn);
  const [combination, setCombination] = useState<Combination>(() => combinationOf(value));
  const [fansOpen, setFansOpen] = useState(false);
  const counts = useCall('audiences.segments', { accountId: accountId ?? '' }, { enabled: accountId !== null });
  const chosen = useCall('audiences.segments', { accountId: accountId ?? '', segments: [{ name: 'chosen', segment: value ?? { all: [], any: [] } }] }, { enabled: accountId !== null && value !== null && custom });
  const countOf = new Map((counts.data ?? []).map((c) => [c.name, c.count]));
  const n = (count: number | undefined) => (count === undefined ? '…' : count.toLocaleString(i18n.language));

  if (accountId === null) return <p className="muted" data-testid="audience-need-account">{t('composer.audience.pickAccount')}</p>;
  const everyone = countOf.get('everyone');
  if (everyone === 0)
    return (
      <div className="stack">
        <div className="notice warn" data-testid="audience-no-fans">
          <p>{t('composer.audience.noFans')}</p>
          <Link href={paths.settings('accounts')}>{t('composer.audience.toAccounts')}</Link>
        </div>
        {/* Drafting starts here for a new creator: her fans come in without leaving the composer. */}
        <FansPanel accountId={accountId} />
      </div>
    );

  const total = custom ? chosen.data?.[0]?.count : builtIn ? countOf.get(builtIn.name) : undefined;
  const setComb = (next: Combination) => {
    setCombination(next);
    onChange(segmentOf(next));
  };
  return (
    <fieldset aria-describedby={error ? 'audience-error' : undefined} data-testid="audience-picker">
      <legend>{t('composer.audience.label')}</legend>
      {counts.error && <p className="error" role="alert">{describeError(t, counts.error)}</p>}
      {BUILT_IN_SEGMENTS.map((s) => (
        <label key={s.name} className="choice">
          <input type="radio" name="audience" checked={!custom && builtIn?.name === s.name} onChange={() => { setCustom(false); onChange(s.segment); }} />
          {t(`composer.segments.${s.name}`)}
          <span className="count" data-testid={`segment-count-${s.name}`}>{n(countOf.get(s.name))}</span>
        </label>
      ))}
      <label className="choice">
        <input type="radio" name="audience" checked={custom} onChange={() => { setCustom(true); onChange(segmentOf(combination)); }} />
        {t('composer.audience.custom')}
      </label>
      {custom && (
        <fieldset className="audience-custom">
          <legend className="visually-hidden">{t('composer.audience.custom')}</legend>
          <label className="choice">
            <span>{t('composer.audience.match')}</span>
            <select value={combination.match} onChange={(e) => setComb({ ...combination, match: e.target.value as 'all' | 'any' })} aria-label={t('composer.audience.match')}>
              <option value="all">{t('composer.audience.matchAll')}</option>
              <option value="any">{t('composer.audience.matchAny')}</option>
            </select>
          </label>
          {CRITERIA.map(({ name, criterion }) => {
            const on = combination.criteria.some((c) => key(c) === key(criterion));
            return (
              <label key={name} className="choice">
                <input type="checkbox" checked={on} onChange={() => setComb({ ...combination, criteria: on ? combination.criteria.filter((c) => key(c) !== key(criterion)) : [...combination.criteria, criterion] })} />
                {t(`composer.segments.${name}`)}
              </label>
            );
          })}
          <div className="field">
            <label htmlFor="audience-tag">{t('composer.audience.tag')}</label>
            <input id="audience-tag" value={combination.tag} maxLength={50} onChange={(e) => setComb({ ...combination, tag: e.target.value })} />
          </div>
        </fieldset>
      )}
      <p className="audience-total" role="status" data-testid="audience-total">
        {value === null ? t('composer.audience.none') : t('composer.audience.total', { count: total ?? 0, n: n(total) })}
      </p>
      {error && <small id="audience-error" className="error">{error}</small>}
      <details className="fans-disclosure" onToggle={(e) => setFansOpen(e.currentTarget.open)}>
        <summary>{t('composer.audience.moreFans')}</summary>
        {fansOpen && <FansPanel accountId={accountId} />}
      </details>
    </fieldset>
  );
}
