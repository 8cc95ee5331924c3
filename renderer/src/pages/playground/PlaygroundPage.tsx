import { useTranslation } from 'react-i18next';
import { describeIssue } from '../../api/errors';
import { useCall } from '../../api/query';
import { PageHeading } from '../../components/PageHeading';
import { usePlayground } from '../../stores/playground';
import { CompletionView } from './CompletionView';
import { PlaygroundForm } from './PlaygroundForm';
import { SandboxFaults } from './SandboxFaults';

/** Send one request through the orchestrator and see every attempt, fallback and cent it took. */
export function PlaygroundPage() {
  const { t } = useTranslation();
  const sandboxMode = useCall('settings.get', {}).data?.sandboxMode ?? false;
  const result = usePlayground((s) => s.result);
  const error = usePlayground((s) => s.error);
  const live = usePlayground((s) => s.live);

  return (
    <section aria-labelledby="page-title">
      <PageHeading>{t('playground.title')}</PageHeading>
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
        {live && (
          <section className="card" aria-labelledby="live-title" aria-busy="true" data-testid="live-reply">
            <h2 id="live-title">{t('outcomes.liveTitle')}</h2>
            {live.attempt > 1 && <p className="muted">{t('outcomes.liveAttempt', { attempt: live.attempt })}</p>}
            <pre className="reply" data-testid="live-text">{live.text}</pre>
          </section>
        )}
        {result && <CompletionView result={result} />}
      </div>
    </section>
  );
}
