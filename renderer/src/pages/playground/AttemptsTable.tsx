import { useTranslation } from 'react-i18next';
import type { CompletionResult, Usage } from '../../../../shared/ai';
import { useMoney } from '../../lib/money';

type Props = Pick<CompletionResult, 'attempts' | 'skipped'>;

const COLUMNS = ['number', 'provider', 'deployment', 'status', 'outcome', 'waited', 'ms', 'tokens', 'cost'] as const;

/** Every HTTP attempt in order, then the route steps passed over without one. */
export function AttemptsTable({ attempts, skipped }: Props) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const n = (value: number) => value.toLocaleString(i18n.language);
  const tokenCounts = (u: Usage) => ({ input: n(u.inputTokens), cached: n(u.cachedInputTokens), output: n(u.outputTokens) });

  return (
    <>
      <h3>{t('playground.attempts', { total: attempts.length })}</h3>
      {attempts.length === 0 ? (
        <p className="muted">{t('playground.noAttempts')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="attempts">
            <thead>
              <tr>
                {COLUMNS.map((c) => <th key={c} scope="col" className={c === 'number' ? 'num' : undefined}>{t(`playground.columns.${c}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {attempts.map((a, i) => (
                <tr key={i} data-testid="attempt-row" data-provider={a.provider} data-outcome={a.outcome} data-status={a.status ?? ''}>
                  <td className="num">{i + 1}</td>
                  <td className="nowrap">{t(`providers.names.${a.provider}`)}</td>
                  <td>
                    <code>{a.deployment}</code>
                    {a.baseModel !== a.deployment && <small className="muted block">{a.baseModel}</small>}
                  </td>
                  <td className="num">{a.status ?? '—'}</td>
                  <td>
                    <span className={`chip ${a.outcome === 'ok' ? 'good' : 'bad'}`} title={a.message}>
                      {a.outcome === 'ok' ? t('playground.attemptOk') : t(`faultKinds.${a.outcome}`)}
                    </span>
                    {a.message && <small className="muted block clamp">{a.message}</small>}
                  </td>
                  <td className="num">{t('units.ms', { value: n(a.waitedMs) })}</td>
                  <td className="num">{t('units.ms', { value: n(a.ms) })}</td>
                  {a.usage ? (
                    <td className="num" title={t('playground.tokensValue', tokenCounts(a.usage))}>
                      {t('playground.tokensShort', tokenCounts(a.usage))}
                    </td>
                  ) : (
                    <td className="num">—</td>
                  )}
                  <td className="num">{money.exact(a.costMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {skipped.length > 0 && (
        <>
          <h3>{t('playground.skipped')}</h3>
          <ul className="skipped" data-testid="skipped-list">
            {skipped.map((s, i) => (
              <li key={i} data-testid="skipped-row" data-provider={s.provider} data-reason={s.reason}>
                {t('playground.skippedStep', {
                  provider: t(`providers.names.${s.provider}`),
                  modelClass: t(`modelClasses.${s.modelClass}`),
                  reason: t(`playground.skipReasons.${s.reason}`),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
