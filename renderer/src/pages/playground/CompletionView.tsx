import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { type CompletionResult, MODEL_CLASSES, TEAM_BUDGET_DETAIL } from '../../../../shared/ai';
import { useMoney } from '../../lib/money';
import { AttemptsTable } from './AttemptsTable';
import { describeFailures } from './outcome';

type CompletionError = NonNullable<CompletionResult['error']>;

/** Our sentence in the operator's language, then the provider's own words, quoted as they came. */
function describeCompletionError(t: TFunction, error: CompletionError, failures: CompletionResult['failures']): string {
  // Every route failed: name each provider's failure rather than only the last one.
  if (failures.length > 0 && error.provider === null && error.kind !== 'cancelled') return describeFailures(t, failures);
  // The team's cap, not this seat's budget: the operator should look at the team, not at their own settings.
  if (error.kind === 'budget_exceeded' && error.detail === TEAM_BUDGET_DETAIL) return t('teamSpend.refused');
  const provider = error.provider ? t(`providers.names.${error.provider}`) : t('playground.errors.someProvider');
  const line = t(`playground.errors.${error.kind}`, { provider, defaultValue: t('playground.errors.allFailed', { kind: t(`faultKinds.${error.kind}`) }) });
  return error.detail ? `${line} (${error.detail})` : line;
}

/** What came back: the outcome, who served it, what it used and cost, and every step on the way. */
export function CompletionView({ result }: { result: CompletionResult }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const n = (value: number) => value.toLocaleString(i18n.language);
  const { usage } = result;
  const cheaper = result.servedClass !== null && MODEL_CLASSES.indexOf(result.servedClass) > MODEL_CLASSES.indexOf(result.requestedClass);

  return (
    <section className="card" aria-labelledby="result-title" data-testid="completion-result">
      <header className="card-head">
        <h2 id="result-title">{t('playground.result')}</h2>
        <div className="chips">
          <span className={`chip outcome-${result.outcome}`} data-testid="result-outcome" data-outcome={result.outcome}>
            {t(`playground.outcomes.${result.outcome}`)}
          </span>
          {result.servedByFallback && <span className="chip warn" data-testid="fallback-badge">{t('playground.fallback')}</span>}
          {result.downgraded && <span className="chip warn" data-testid="downgraded-badge">{t('playground.downgraded')}</span>}
          {cheaper && (
            <span className="chip warn" data-testid="cheaper-badge">
              {t('outcomes.cheaper', { requested: t(`modelClasses.${result.requestedClass}`), served: t(`modelClasses.${result.servedClass}`) })}
            </span>
          )}
          {result.partial && <span className="chip warn" data-testid="partial-badge">{t('outcomes.partial')}</span>}
        </div>
      </header>
      {result.error && (
        <p className="error" role="alert" data-testid="result-error">
          {describeCompletionError(t, result.error, result.failures)}
        </p>
      )}
      <dl className="facts compact">
        <dt>{t('playground.servedBy')}</dt>
        <dd data-testid="result-provider" data-provider={result.provider ?? ''}>
          {result.provider
            ? t('playground.servedByValue', {
                provider: t(`providers.names.${result.provider}`),
                deployment: result.deployment ?? '—',
                baseModel: result.baseModel ?? '—',
              })
            : t('playground.nobody')}
        </dd>
        <dt>{t('playground.tokens')}</dt>
        <dd data-testid="result-tokens">
          {t('playground.tokensValue', { input: n(usage.inputTokens), cached: n(usage.cachedInputTokens), output: n(usage.outputTokens) })}
        </dd>
        <dt>{t('playground.totalCost')}</dt>
        <dd data-testid="result-cost">{money.exact(result.costMicros)}</dd>
        {result.finishReason && (
          <>
            <dt>{t('playground.finishReason')}</dt>
            <dd><code>{result.finishReason}</code></dd>
          </>
        )}
      </dl>
      <h3>{t('playground.reply')}</h3>
      {result.partial && <p className="notice warn" data-testid="partial-note">{t('outcomes.partialNote')}</p>}
      {result.text ? (
        <pre className="reply" data-testid="result-text" data-partial={result.partial}>{result.text}</pre>
      ) : (
        <p className="muted" data-testid="result-text">{t('playground.noReply')}</p>
      )}
      <AttemptsTable attempts={result.attempts} skipped={result.skipped} />
    </section>
  );
}
