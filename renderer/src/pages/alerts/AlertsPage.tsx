import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ALERT_CHANNELS } from '../../../../shared/alerts';
import { describeError } from '../../api/errors';
import { useCall } from '../../api/query';
import { PageHeading } from '../../components/PageHeading';
import { paths } from '../../routing/routes';
import { AlertHistory } from './AlertHistory';
import { BudgetsEditor } from './BudgetsEditor';
import { TeamAlerts } from './TeamAlerts';
import { TeamBudgets } from './TeamBudgets';

/** Where each channel stands, in one line each; the settings live in Settings → Alert channels. */
function ChannelSummary() {
  const { t } = useTranslation();
  const { data } = useCall('alerts.channels', {});
  if (!data) return null;
  const on = ALERT_CHANNELS.filter((c) => data.status[c].enabled);
  return (
    <article className="card" aria-labelledby="channels-title" data-testid="channel-summary">
      <h2 id="channels-title">{t('alertsPage.channels')}</h2>
      {on.length === 0 && <p className="muted">{t('alertsPage.noChannels')}</p>}
      <ul className="plain">
        {ALERT_CHANNELS.map((c) => {
          const s = data.status[c];
          const state = !s.enabled ? 'off' : !s.configured ? 'notConfigured' : s.dead > 0 ? 'failing' : 'ok';
          return (
            <li key={c} data-testid={`summary-${c}`}>
              {t(`alertHistory.channels.${c}`)}: <span className={state === 'failing' ? 'error' : undefined}>{t(`alertsPage.channelStates.${state}`, { count: s.dead })}</span>
            </li>
          );
        })}
      </ul>
      <Link href={paths.settings('alerts')}>{t('alertsPage.openChannels')}</Link>
    </article>
  );
}

/** Alerts: the budgets (one model for alerts and the orchestrator's hard stops), the history, the channels. `/alerts/:id` highlights one alert. */
export function AlertsPage({ id }: { id?: string }) {
  const { t } = useTranslation();
  const model = useCall('costs.thresholds', {});
  const history = useCall('costs.alerts', {});
  const error = model.error ?? history.error;
  const found = id === undefined || history.data?.some((a) => a.id === id);
  return (
    <section aria-labelledby="page-title" className="stack">
      <PageHeading>{t('nav.alerts')}</PageHeading>
      {id !== undefined && (
        <dl className="facts">
          <dt>{t('alert.id')}</dt>
          <dd><code data-testid="alert-id">{id}</code></dd>
        </dl>
      )}
      {id !== undefined && history.data && !found && <p className="muted" data-testid="alert-not-in-history">{t('alertsPage.notInHistory')}</p>}
      {error && <p className="error" role="alert">{describeError(t, error)}</p>}
      {history.data && <AlertHistory alerts={history.data} highlight={id} />}
      {model.data && <BudgetsEditor model={model.data} />}
      <TeamBudgets />
      <TeamAlerts />
      <ChannelSummary />
    </section>
  );
}
