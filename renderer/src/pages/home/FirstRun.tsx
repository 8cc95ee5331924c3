import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { EventPayload } from '../../../../shared/contract';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAct } from '../../api/query';
import { paths } from '../../routing/routes';

type Progress = EventPayload<'demo.progress'>;

/** Overall share of the seed done, each step counting the same. */
const seedPercent = (p: Progress) => Math.min(100, Math.round(((p.stepIndex + p.done / p.total) / p.steps) * 100));

/** The two ways in: look around with demo data in the Sandbox, or set up real providers. */
export function FirstRun() {
  const { t, i18n } = useTranslation();
  const sandbox = useAct('settings.update');
  const seed = useAct('demo.seed');
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => api.on('demo.progress', setProgress), []);

  const busy = sandbox.isPending || seed.isPending;
  const error = sandbox.error ?? seed.error;
  const explore = () => {
    setProgress(null);
    // Sandbox first: the seed refuses the live profile, so real data can never receive demo rows.
    sandbox.mutate({ sandboxMode: true }, { onSuccess: () => seed.mutate({}) });
  };
  const percent = progress ? seedPercent(progress) : 0;

  return (
    <div className="home-paths" data-testid="home-first-run">
      <p className="home-intro">{t('home.firstRun.intro')}</p>
      <article className="card home-path" aria-labelledby="home-explore-title" data-testid="home-explore">
        <h2 id="home-explore-title">{t('home.firstRun.explore.title')}</h2>
        <p>{t('home.firstRun.explore.body')}</p>
        <div className="actions">
          <button type="button" onClick={explore} disabled={busy} aria-busy={busy}>
            {busy ? t('home.firstRun.explore.working') : t('home.firstRun.explore.action')}
          </button>
        </div>
        {busy && (
          <p role="status" className="muted home-progress" data-testid="demo-progress" data-percent={percent}>
            <progress max={100} value={percent} aria-hidden="true" />{' '}
            {progress ? t(`home.firstRun.steps.${progress.step}`, { percent: new Intl.NumberFormat(i18n.language, { style: 'percent' }).format(percent / 100) }) : t('home.firstRun.steps.sandbox')}
          </p>
        )}
        {error && <p className="error" role="alert">{t('home.firstRun.explore.failed', { message: describeError(t, error) })}</p>}
      </article>
      <article className="card home-path" aria-labelledby="home-connect-title" data-testid="home-connect">
        <h2 id="home-connect-title">{t('home.firstRun.connect.title')}</h2>
        <p>{t('home.firstRun.connect.body')}</p>
        <div className="actions">
          <Link className="button" href={paths.settings('providers')}>{t('home.firstRun.connect.action')}</Link>
        </div>
      </article>
    </div>
  );
}
