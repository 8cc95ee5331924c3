import { useTranslation } from 'react-i18next';
import { describeIssue } from '../../api/errors';
import { usePlayground } from '../../stores/playground';
import { useSettings } from '../../stores/settings';
import { CompletionView } from './CompletionView';
import { PlaygroundForm } from './PlaygroundForm';
import { SandboxFaults } from './SandboxFaults';

/** Send one request through the orchestrator and see every attempt, fallback and cent it took. */
export function PlaygroundPage() {
  const { t } = useTranslation();
  const sandboxMode = useSettings((s) => s.settings?.sandboxMode ?? false);
  const result = usePlayground((s) => s.result);
  const error = usePlayground((s) => s.error);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('playground.title')}</h1>
      <p className="muted">{t('playground.intro')}</p>
      <div className="stack">
        {sandboxMode && <SandboxFaults />}
        <PlaygroundForm />
        {error && (
          <div className="error" role="alert" data-testid="playground-error">
            <p>{t('playground.callFailed', { message: t(`errors.${error.code}`, error.params) })}</p>
            {error.issues && (
              <ul className="issues">
                {error.issues.map((issue) => {
                  const text = describeIssue(t, issue, true);
                  return <li key={text}>{text}</li>;
                })}
              </ul>
            )}
          </div>
        )}
        {result && <CompletionView result={result} />}
      </div>
    </section>
  );
}
