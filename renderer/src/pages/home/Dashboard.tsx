import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { ProviderHealth } from '../../../../shared/ai';
import type { AlertEntry } from '../../../../shared/contract/budgets';
import { describeError } from '../../api/errors';
import { useAct, useCall } from '../../api/query';
import { useMoney } from '../../lib/money';
import { paths } from '../../routing/routes';

/** Circuits reopen on their own: polled gently, while events refresh the rest at once. */
const HEALTH_REFRESH_MS = 5000;
const SHOWN_ALERTS = 3;

/** Sandbox: a plain statement that these figures are demo ones, and the way back to real data. */
function SandboxNotice({ seeded }: { seeded: boolean }) {
  const { t } = useTranslation();
  const update = useAct('settings.update');
  const seed = useAct('demo.seed');
  const error = update.error ?? seed.error;
  return (
    <div className="notice warn home-sandbox" role="note" data-testid="home-sandbox">
      <strong>{seeded ? t('home.sandbox.title') : t('home.sandbox.titleNoDemo')}</strong>
      <p>{t('home.sandbox.body')}</p>
      <div className="actions">
        <button type="button" className="secondary" disabled={update.isPending} onClick={() => update.mutate({ sandboxMode: false })}>
          {t('home.sandbox.leave')}
        </button>
        {/* Sandbox turned on from Settings, demo never added: the same seed as the first-run offer. */}
        {!seeded && (
          <button type="button" disabled={seed.isPending} aria-busy={seed.isPending} onClick={() => seed.mutate({})}>
            {seed.isPending ? t('home.firstRun.explore.working') : t('home.sandbox.addDemo')}
          </button>
        )}
      </div>
      {error && <p className="error" role="alert">{describeError(t, error)}</p>}
    </div>
  );
}

function Spend() {
  const { t } = useTranslation();
  const money = useMoney();
  const stats = useCall('costs.stats', {});
  return (
    <article className="card home-card" aria-labelledby="home-spend-title" data-testid="home-spend">
      <div className="card-head">
        <h2 id="home-spend-title">{t('home.spend.title')}</h2>
        <Link href={paths.page('costs')}>{t('home.spend.open')}</Link>
      </div>
      {stats.error && <p className="error" role="alert">{describeError(t, stats.error)}</p>}
      {stats.data && (
        <dl className="home-figures">
          {(['today', 'thisMonth'] as const).map((p) => (
            <div key={p} data-testid={`home-spend-${p}`} data-micros={stats.data[p].total.micros}>
              <dt>{t(`home.spend.${p}`)}</dt>
              <dd className="cost-figure small">{money.micros(stats.data[p].total.micros)}</dd>
              <dd className="muted">{t('home.spend.requests', { count: stats.data[p].total.requests, formatted: money.count(stats.data[p].total.requests) })}</dd>
            </div>
          ))}
        </dl>
      )}
    </article>
  );
}

/** One word per provider: ready, off, needs setup, or paused after errors (its circuit is open). */
function providerStatus(p: ProviderHealth): { key: string; tone: 'good' | 'bad' | 'warn' | '' } {
  if (!p.enabled) return { key: 'off', tone: '' };
  if (!p.configured) return { key: 'notConfigured', tone: 'bad' };
  if (p.circuit === 'open') return { key: 'paused', tone: 'bad' };
  if (p.circuit === 'half_open') return { key: 'probing', tone: 'warn' };
  return { key: 'ready', tone: 'good' };
}

function Providers() {
  const { t } = useTranslation();
  const health = useCall('health.get', {}, { refetchInterval: HEALTH_REFRESH_MS });
  return (
    <article className="card home-card" aria-labelledby="home-providers-title" data-testid="home-providers">
      <div className="card-head">
        <h2 id="home-providers-title">{t('home.providers.title')}</h2>
        <Link href={paths.page('health')}>{t('home.providers.open')}</Link>
      </div>
      {health.error && <p className="error" role="alert">{describeError(t, health.error)}</p>}
      {health.data && (
        <ul className="plain home-list">
          {health.data.providers.map((p) => {
            const status = providerStatus(p);
            return (
              <li key={p.provider} data-testid="home-provider" data-provider={p.provider} data-status={status.key}>
                <span>{t(`providers.names.${p.provider}`)}</span>
                <span className={`chip ${status.tone}`}>{t(`home.providers.status.${status.key}`)}</span>
              </li>
            );
          })}
        </ul>
      )}
      <Link href={paths.settings('providers')}>{t('home.providers.settings')}</Link>
    </article>
  );
}

function Alerts() {
  const { t } = useTranslation();
  const money = useMoney();
  const alerts = useCall('costs.alerts', {});
  const open = alerts.data?.filter((a) => a.acknowledgedAt === null) ?? [];
  const scope = (a: AlertEntry) =>
    a.threshold.scope === 'global' ? t('alertHistory.scopes.global') : t(`alertHistory.scopes.${a.threshold.scope}`, { name: a.threshold.label ?? a.threshold.target ?? '' });
  return (
    <article className="card home-card" aria-labelledby="home-alerts-title" data-testid="home-alerts" data-open={open.length}>
      <div className="card-head">
        <h2 id="home-alerts-title">{t('home.alerts.title')}</h2>
        <Link href={paths.page('alerts')}>{t('home.alerts.open')}</Link>
      </div>
      {alerts.error && <p className="error" role="alert">{describeError(t, alerts.error)}</p>}
      {alerts.data && open.length === 0 && <p className="muted">{t('home.alerts.none')}</p>}
      {open.length > 0 && (
        <>
          <p>{t('home.alerts.count', { count: open.length })}</p>
          <ul className="plain home-list">
            {open.slice(0, SHOWN_ALERTS).map((a) => (
              <li key={a.id}>
                <Link href={paths.alert(a.id)}>
                  <span className={`chip ${a.level === 'critical' ? 'bad' : 'warn'}`}>{t(`alertHistory.levels.${a.level}`)}</span> {scope(a)}
                </Link>
                <span className="muted">{t('alertHistory.amounts', { amount: money.micros(a.amountMicros), budget: money.micros(a.budgetMicros) })}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

/**
 * Where sending status (campaigns queued, sending, paused; limits) goes once sending exists.
 * Renders nothing until then: no card may claim a capability the app does not have yet.
 */
function SendingStatusSlot() {
  return null;
}

/** The operator's day at a glance: spend, providers, open alerts, each leading to its page. */
export function Dashboard({ sandbox, seeded, liveConfigured }: { sandbox: boolean; seeded: boolean; liveConfigured: boolean }) {
  const { t } = useTranslation();
  const update = useAct('settings.update');
  return (
    <>
      {sandbox && <SandboxNotice seeded={seeded} />}
      {!sandbox && !liveConfigured && (
        <div className="notice home-setup" data-testid="home-setup">
          <p>
            {t('home.setup.body')} <Link href={paths.settings('providers')}>{t('home.setup.action')}</Link>
          </p>
          {seeded && (
            <div className="actions">
              <button type="button" className="secondary" disabled={update.isPending} onClick={() => update.mutate({ sandboxMode: true })}>
                {t('home.setup.demo')}
              </button>
            </div>
          )}
        </div>
      )}
      <div className="home-grid">
        <Spend />
        <Providers />
        <Alerts />
        <SendingStatusSlot />
      </div>
    </>
  );
}
