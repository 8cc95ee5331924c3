import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROVIDER_IDS } from '../../../../shared/ai';
import { BUDGET_PERIODS, BUDGET_SCOPES, type BudgetModel, HARD_STOPS } from '../../../../shared/budgets';
import type { AppErrorData } from '../../../../shared/result';
import { describeIssue } from '../../api/errors';
import { useAct } from '../../api/query';
import { Field } from '../../components/Field';
import { type Notice, NoticeView } from '../../components/Notice';
import { useMoney } from '../../lib/money';
import { type DraftProblem, type DraftRow, fromDraft, newRow, toDraft } from './budgetDraft';

type Issues = NonNullable<AppErrorData['issues']>;

/**
 * The whole budget model, edited as rows and saved at once (the core replaces it whole). With
 * `team`, the same rows edit the team's budgets, saved from the version they were read at.
 */
export function BudgetsEditor({ model, team }: { model: BudgetModel; team?: { version: number; note: ReactNode } }) {
  const { t } = useTranslation();
  const money = useMoney();
  const [rows, setRows] = useState<DraftRow[]>(() => toDraft(model, money));
  const [base, setBase] = useState(model);
  const [typedIn, setTypedIn] = useState(money);
  if (base !== model) {
    setBase(model);
    setRows(toDraft(model, money));
  }
  if (typedIn !== money) {
    // The language changed mid-edit: amounts typed in the old locale are rewritten in the new one.
    setTypedIn(money);
    setRows((rs) =>
      rs.map((r) => {
        const micros = typedIn.parse(r.dollars);
        return micros === null ? r : { ...r, dollars: money.input(micros) };
      }),
    );
  }
  const [local, setLocal] = useState(new Map<number, DraftProblem[]>());
  const [issues, setIssues] = useState<Issues>([]);
  const [notice, setNotice] = useState<Notice>();
  const saveSeat = useAct('costs.setThresholds');
  const saveTeam = useAct('teamBudgets.set');
  const pending = team ? saveTeam.isPending : saveSeat.isPending;
  const p = team ? 'tb' : 'b';

  const update = (i: number, patch: Partial<DraftRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const errorAt = (i: number, field: string, problem?: DraftProblem) => {
    if (problem && local.get(i)?.includes(problem)) return t(`budgets.problems.${problem}`);
    // The team's save nests the model one level down.
    const issue = issues.map((x) => (x.path[0] === 'model' ? { ...x, path: x.path.slice(1) } : x)).find((x) => x.path[0] === 'thresholds' && x.path[1] === i && x.path[2] === field);
    if (!issue) return undefined;
    const monthly = issue.params.monthlyMicros;
    return describeIssue(t, typeof monthly === 'number' ? { ...issue, params: { ...issue.params, monthly: money.micros(monthly) } } : issue);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { model: next, problems } = fromDraft(rows, money);
    setLocal(problems);
    setIssues([]);
    if (problems.size > 0) {
      setNotice({ tone: 'error', key: 'budgets.fixFields' });
      return;
    }
    const callbacks = {
      onSuccess: () => setNotice({ tone: 'ok', key: team ? 'teamBudgets.saved' : 'budgets.saved' }),
      onError: (error: AppErrorData) => {
        setIssues(error.issues ?? []);
        setNotice(error.issues?.length ? { tone: 'error', key: 'budgets.fixFields' } : { tone: 'error', error });
      },
    };
    if (team) saveTeam.mutate({ model: next, baseVersion: team.version }, callbacks);
    else saveSeat.mutate(next, callbacks);
  };

  return (
    <article className="card" aria-labelledby={team ? 'team-budgets-title' : 'budgets-title'} data-testid={team ? 'team-budgets-editor' : 'budgets-editor'}>
      <h2 id={team ? 'team-budgets-title' : 'budgets-title'}>{t(team ? 'teamBudgets.title' : 'budgets.title')}</h2>
      <p className="muted">{t(team ? 'teamBudgets.intro' : 'budgets.help')}</p>
      {team?.note}
      <form onSubmit={submit} noValidate>
        {rows.length === 0 && (
          <div className="empty" data-testid={team ? 'team-budgets-empty' : 'budgets-empty'}>
            <p>{t(team ? 'teamBudgets.empty' : 'budgets.empty')}</p>
          </div>
        )}
        {rows.map((r, i) => (
          <fieldset key={r.id} className="budget-row" data-testid={team ? `team-budget-row-${i}` : `budget-row-${i}`}>
            <legend>{t('budgets.rowLegend', { n: i + 1 })}</legend>
            <div className="field">
              <label htmlFor={`${p}-${i}-scope`}>{t('budgets.scope')}</label>
              <select id={`${p}-${i}-scope`} value={r.scope} onChange={(e) => update(i, { scope: e.target.value as DraftRow['scope'], target: e.target.value === 'provider' ? PROVIDER_IDS[0] : '' })}>
                {BUDGET_SCOPES.map((s) => <option key={s} value={s}>{t(`budgets.scopes.${s}`)}</option>)}
              </select>
            </div>
            {r.scope === 'provider' && (
              <div className="field">
                <label htmlFor={`${p}-${i}-target`}>{t('budgets.provider')}</label>
                <select id={`${p}-${i}-target`} value={r.target} onChange={(e) => update(i, { target: e.target.value })}>
                  {PROVIDER_IDS.map((p) => <option key={p} value={p}>{t(`providers.names.${p}`)}</option>)}
                </select>
              </div>
            )}
            {r.scope === 'campaign' && (
              <Field id={`${p}-${i}-target`} label={t('budgets.campaign')} value={r.target} onChange={(v) => update(i, { target: v })} error={errorAt(i, 'target')} />
            )}
            <div className="field">
              <label htmlFor={`${p}-${i}-period`}>{t('budgets.period')}</label>
              <select id={`${p}-${i}-period`} value={r.period} onChange={(e) => update(i, { period: e.target.value as DraftRow['period'] })}>
                {BUDGET_PERIODS.map((p) => <option key={p} value={p}>{t(`budgets.periods.${p}`)}</option>)}
              </select>
              {errorAt(i, 'period') && <small className="error">{errorAt(i, 'period')}</small>}
            </div>
            <Field id={`${p}-${i}-amount`} label={t('budgets.amount')} inputMode="decimal" value={r.dollars} onChange={(v) => update(i, { dollars: v })} help={t('budgets.amountHelp')} error={errorAt(i, 'amountMicros', 'amount')} />
            <Field id={`${p}-${i}-levels`} label={t('budgets.levels')} value={r.levels} onChange={(v) => update(i, { levels: v })} help={t('budgets.levelsHelp')} error={errorAt(i, 'levels', 'levels')} />
            {/* A team row's hard stop binds every seat: main/aws/spend-budget.ts leases the team's cap. */}
            <div className="field">
              <label htmlFor={`${p}-${i}-stop`}>{t('budgets.hardStop')}</label>
              <select id={`${p}-${i}-stop`} value={r.hardStop} onChange={(e) => update(i, { hardStop: e.target.value as DraftRow['hardStop'] })}>
                {HARD_STOPS.map((h) => <option key={h} value={h}>{t(`budgets.hardStops.${h}`)}</option>)}
              </select>
            </div>
            <div className="actions">
              <button type="button" className="secondary" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>{t('budgets.remove')}</button>
            </div>
          </fieldset>
        ))}
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setRows((rs) => [...rs, newRow()])}>{t(team ? 'teamBudgets.add' : 'budgets.add')}</button>
          <button type="submit" disabled={pending}>{pending ? t('settings.saving') : t(team ? 'teamBudgets.save' : 'budgets.save')}</button>
        </div>
        {notice && <NoticeView notice={notice} />}
      </form>
    </article>
  );
}
