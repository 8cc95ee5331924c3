/**
 * The composition root. Both hosts (the Electron shell and the browser host) build the core
 * through this one function; it only wires capabilities together.
 */
import { join } from 'node:path';
import pkg from '../package.json';
import { ALERT_TOPICS } from '../shared/alerts';
import type { AppInfo } from '../shared/contract';
import type { SendProgress } from '../shared/sending';
import { aiHandlers } from './ai/handlers';
import { circuitsHandlers } from './ai/circuits-handlers';
import { AlertChannels } from './alerts/channels';
import { osConsumer } from './alerts/consumers';
import { alertsHandlers } from './alerts/handlers';
import { audiencesHandlers } from './audiences/handlers';
import { TeamAws } from './aws/clients';
import { TeamAwsStore } from './aws/settings';
import { UPLOADS_DIR, Uploads } from './audiences/uploads';
import { budgetsHandlers } from './budgets/handlers';
import { campaignEndConsumer } from './campaigns/ends';
import { campaignSendFollower, campaignsFor, campaignsHandlers, type CampaignsOptions } from './campaigns/handlers';
import { CostEvents } from './costs/events';
import { costsHandlers } from './costs/handlers';
import { demoHandlers } from './demo/handlers';
import { DemoMarker } from './demo/marker';
import type { AiService } from './ai/service';
import { type Db, openDatabase } from './db/open';
import { healthHandlers } from './health/handlers';
import { RequestEvents } from './requests/events';
import { requestsHandlers } from './requests/handlers';
import { EventBus } from './ipc/events';
import { SendEvents } from './messaging/events';
import { messagingFor, messagingHandlers, sendingHandlers } from './messaging/handlers';
import type { Outbox, RelayOptions } from './outbox';
import { DB_FILE } from './paths';
import { createRegistry, type Registry } from './ipc/registry';
import { type Clock, systemClock } from './ports/clock';
import { createFileLogger, LOGS_DIR } from './log';
import type { Logger } from './ports/logger';
import type { Notifier } from './ports/notifier';
import { nodeShell, type Shell } from './ports/shell';
import { openLiveProfile, openSandboxProfile, type Profile, type ProfileOptions } from './profiles/profile';
import { sandboxHandlers } from './sandbox/handlers';
import { teamSyncFor } from './sync';
import { teamAlertListHandlers } from './aws/team-alert-list';
import { monthKey } from './budgets/spend';
import { type OpenSecretStoreOptions, openSecretStore } from './secrets';
import { keychainHandlers } from './secrets/keychain-handlers';
import { awsHandlers } from './aws/handlers';
import { settingsHandlers } from './settings/handlers';
import { SettingsStore } from './settings/store';
import { localCampaignNames, teamHandlers } from './aws/team-costs';
import { updatesHandlers } from './update/handlers';
import { unsupportedUpdater, type Updater } from './ports/updater';
import { SharedRateBudget } from './aws/rate-budget';
import { TeamBudgets } from './aws/team-budgets-service';
import { SharedSpendBudget } from './aws/spend-budget';

export interface ServicesOptions {
  dataDir: string;
  host: AppInfo['host'];
  clock?: Clock;
  logger?: Logger;
  nativeBinding?: string;
  /** The secret store's keychain and the Electron shell's safeStorage hand-over; defaults otherwise. */
  secrets?: Pick<OpenSecretStoreOptions, 'keychain' | 'legacy'>;
  /** Opens folders for the operator; the platform's opener when none is given. */
  shell?: Shell;
  /** Tests tune these; the app uses the defaults. */
  ai?: ProfileOptions['ai'];
  /** The shell's OS notifications; without one, alerts reach open windows as `alert.fired`. */
  notifier?: Notifier;
  alerts?: { allowLoopbackWebhook?: boolean; relay?: RelayOptions };
  /** The app's own updates; the browser host has none (`unsupported`) unless a test gives it one. */
  updater?: Updater;
  /** How long campaign generation waits for an unreachable AI provider (default 15 min), and its timers (tests). */
  campaigns?: CampaignsOptions['generation'];
}

export interface Services {
  registry: Registry;
  events: EventBus;
  /** The active profile's database and AI capability (Sandbox while Sandbox mode is on). */
  readonly db: Db;
  readonly dbPath: string;
  readonly ai: AiService;
  readonly profile: Profile;
  /** The live profile's outbox: what sync, alerts and sending consume. */
  readonly outbox: Outbox;
  /** The agency's alert channels (live profile only). */
  readonly alerts: AlertChannels;
  close(): Promise<void>;
}

const ALERT_TOPIC_NAMES: ReadonlySet<string> = new Set(Object.values(ALERT_TOPICS));

export const APP = { name: pkg.name, productName: pkg.productName, version: pkg.version } as const;

export async function createServices(options: ServicesOptions): Promise<Services> {
  const clock = options.clock ?? systemClock;
  // Without a logger of the host's own, lines go to rotating files in the data folder's logs/.
  const fileLogger = options.logger ? null : createFileLogger({ dataDir: options.dataDir });
  const logger = options.logger ?? fileLogger!;
  const startedAt = clock.monotonic();
  const liveDb = openDatabase(join(options.dataDir, DB_FILE), { nativeBinding: options.nativeBinding });
  const secrets = await openSecretStore({ db: liveDb, dataDir: options.dataDir, clock, logger, ...options.secrets });
  const events = new EventBus(logger);
  // Operator settings (name, theme, language, which profile is active) belong to the seat, so they stay in the live file.
  const settings = new SettingsStore(liveDb, clock, logger);
  const teamAws = new TeamAws(new TeamAwsStore(liveDb, clock, logger), secrets);
  const sharedRates = new SharedRateBudget(() => teamAws.connect(), liveDb, clock, logger);
  // Set once the live profile is open; a Sandbox commit pokes too, which only costs one team read.
  let pokeTeamBudgets: () => void = () => undefined;
  let teamSpend: SharedSpendBudget | null = null;
  // Only the live ledger syncs: the Sandbox profile never gets this consumer.
  const teamSync = teamSyncFor({ liveDb, liveLedger: () => live.ai.ledger, teamAws, operator: () => settings.get().operatorName, wake: () => relays.live?.wake(), events, clock, logger });
  const costEvents = new CostEvents(events);
  const requestEvents = new RequestEvents(events);
  const sendEvents = new SendEvents(events);
  const notifier: Notifier = options.notifier ?? {
    // Each open page shows it as a toast (and a browser notification if allowed). With no page
    // open nobody was told: false, so the outbox keeps the delivery and retries it.
    async notify(notice) {
      if (!events.listening) return false;
      events.emit('alert.fired', notice);
      return true;
    },
  };
  // Channel settings and secrets live in the live file; the Sandbox's alerts only notify on this machine.
  const alerts = new AlertChannels({
    db: liveDb,
    outbox: () => live.outbox,
    historyOutbox: () => active().outbox,
    secrets,
    clock,
    logger,
    notifier,
    allowLoopbackWebhook: options.alerts?.allowLoopbackWebhook,
  });
  // Filled as profiles open: an alert may fire while a profile is still opening (catch-up).
  const relays: Partial<Record<Profile['name'], Profile['relay']>> = {};
  // Set once the campaigns capability is built below; sends that progress before that are caught up by campaigns.status.
  let followCampaignSends: (changes: readonly SendProgress[]) => void = () => undefined;
  const profileOptions: ProfileOptions = {
    dataDir: options.dataDir,
    clock,
    logger,
    nativeBinding: options.nativeBinding,
    ai: options.ai,
    consumers: (profile) => [
      ...(profile === 'live' ? alerts.consumers() : [osConsumer(notifier, () => alerts.store.get().os.enabled)]),
      campaignEndConsumer(notifier, { enabled: () => alerts.store.get().os.enabled, language: () => settings.get().language }),
      ...(profile === 'live' ? [teamSync.consumer, teamSync.alertConsumer] : []),
    ],
    relay: {
      ...options.alerts?.relay,
      // A delivery moved (delivered, retrying, dead): the history and channel status on screen are stale.
      onSettled: ({ topic }) => {
        if (ALERT_TOPIC_NAMES.has(topic)) events.emit('alerts.changed', { id: null });
      },
    },
    budgets: (profile) => ({
      profile,
      // Only channels switched on get a message: a disabled one would only collect dead letters.
      channels: () => {
        const c = alerts.store.get();
        return (['os', 'sns', 'slack'] as const).filter((ch) => c[ch].enabled);
      },
      onFired: (alert) => {
        events.emit('alerts.changed', { id: alert.id });
        // The relay may be asleep until its next poll: the operator should hear at once.
        relays[profile]?.wake();
      },
    }),
    // Both profiles follow the one time-zone setting; each rebuilds its own rollups when it differs.
    ledger: () => ({ timeZone: settings.get().timeZone, onCommitted: (days) => {
        costEvents.committed(days);
        pokeTeamBudgets();
      }, onRebuild: costEvents.rebuild }),
    onCircuit: (provider, state) => events.emit('circuits.changed', { provider, state }),
    requestLog: { onCommitted: requestEvents.committed },
    sending: (profile) => ({
      // Only the live profile's queue shares its accounts' budgets: the Sandbox never touches the team layer.
      shared: profile === 'live' ? sharedRates : undefined,
      operator: () => settings.get().operatorName,
      onProgress: (changes) => {
        sendEvents.progress(changes);
        followCampaignSends(changes);
      },
      onQueueChanged: sendEvents.queueChanged,
    }),
    liveTeamStops: { binding: (campaignId) => teamSpend?.binding(campaignId) ?? [], stops: async (campaignId, estimate) => (await teamSpend?.stops(campaignId, estimate)) ?? [] },
  };
  const live = openLiveProfile(profileOptions, secrets, liveDb);
  const teamBudgets = new TeamBudgets({ teamAws, db: liveDb, clock, logger, outbox: live.outbox, ledger: live.ai.ledger, channels: () => (['os', 'sns', 'slack'] as const).filter((ch) => alerts.store.get()[ch].enabled), events, wake: () => live.relay.wake() });
  pokeTeamBudgets = () => teamBudgets.poke();
  const spendBudget = new SharedSpendBudget({ db: liveDb, clock, logger, connect: () => teamAws.connect(), thresholds: () => teamBudgets.store.cached().model.thresholds, ledger: live.ai.ledger, onChanged: (state) => events.emit('teamSpend.changed', state) });
  teamSpend = spendBudget;
  teamBudgets.start();
  relays.live = live.relay;

  let sandbox: Profile | null = null;
  let switching: Promise<void> = Promise.resolve();
  const active = () => sandbox ?? live;
  const switchTo = async (on: boolean) => {
    if (on && !sandbox) {
      sandbox = await openSandboxProfile(profileOptions);
      relays.sandbox = sandbox.relay;
    } else if (!on && sandbox) {
      const closing = sandbox;
      sandbox = null;
      delete relays.sandbox;
      await closing.close();
    }
  };
  // Serialized: two quick toggles must not open two sandboxes or close one still opening.
  const setSandboxMode = (on: boolean) => (switching = switching.catch(() => undefined).then(() => switchTo(on)));
  await setSandboxMode(settings.get().sandboxMode);

  const uploads = new Uploads(join(options.dataDir, UPLOADS_DIR));

  const campaigns = campaignsFor({ db: () => active().db, clock, logger, ai: () => active().ai, operatorId: () => settings.get().operatorName, queue: () => active().messaging.queue, events, generation: options.campaigns, ends: { outbox: () => active().outbox, wake: () => active().relay.wake() } });
  followCampaignSends = campaignSendFollower(campaigns, events);
  // A run cut short by the last close goes on by itself.
  campaigns.resume();

  const updater = options.updater ?? unsupportedUpdater('browser_host');
  updater.onChange((status) => events.emit('updates.changed', status));

  const registry = createRegistry(
    {
      ...healthHandlers({
        app: { ...APP, host: options.host },
        logsDir: join(options.dataDir, LOGS_DIR),
        shell: options.shell ?? nodeShell(),
        db: () => active().db,
        dbPath: () => active().dbPath,
        dataDir: options.dataDir,
        appVersion: APP.version,
        uptimeMs: () => clock.monotonic() - startedAt,
        providers: () => active().ai.health(),
        sandboxMode: () => sandbox !== null,
      }),
      ...settingsHandlers({
        settings,
        events,
        apply: async (next, changed) => {
          if (changed.sandboxMode !== undefined) {
            await setSandboxMode(next.sandboxMode);
            campaigns.resume();
          }
          if (changed.timeZone !== undefined) {
            live.ai.ledger.setTimeZone(next.timeZone);
            sandbox?.ai.ledger.setTimeZone(next.timeZone);
          }
        },
      }),
      ...aiHandlers(() => active().ai, events),
      ...sandboxHandlers(() => active().ai, events),
      ...circuitsHandlers(() => active().ai, () => settings.get().operatorName),
      ...alertsHandlers(alerts, events, () => {
        live.relay.wake();
        sandbox?.relay.wake();
      }),
      ...costsHandlers(() => active().costs, () => active().ai.budgets.model(), () => active().ai.budgets.evaluator.spend),
      ...budgetsHandlers(() => active().ai.budgets, events),
      ...demoHandlers({ active, liveConfigured: async () => (await live.ai.list()).providers.some((p) => p.config.enabled && p.configured), marker: new DemoMarker(liveDb, clock), events, clock }),
      ...requestsHandlers(() => active().ai.requests),
      ...messagingHandlers(messagingFor({ active }), events),
      ...sendingHandlers(messagingFor({ active })),
      ...campaignsHandlers(campaigns, events, { clock, price: (r) => active().ai.orchestrator.priceFor(r), costMicros: (ids) => active().costs.campaignTotals(ids) }),
      ...audiencesHandlers({ db: () => active().db, messaging: messagingFor({ active }), clock, events, uploads }),
      // The Electron shell answers these itself; what reaches the core is the browser host, which runs from source.
      ...updatesHandlers(updater),
      ...keychainHandlers({ secrets, db: liveDb, clock, events }),
      ...spendBudget.handlers(),
      ...teamHandlers({ teamAws, sandboxMode: () => sandbox !== null, zone: () => settings.get().timeZone, campaignNames: localCampaignNames(liveDb) }),
      ...teamBudgets.handlers(),
      ...awsHandlers({ teamAws, alerts, events, clock, onSettings: () => void teamSync.sync.now() }),
      ...teamSync.handlers,
      ...teamAlertListHandlers({ teamAws, sandboxMode: () => sandbox !== null, month: () => monthKey(live.ai.ledger.calendar.localMonth(clock.now())) }),
    },
    logger,
  );

  return {
    registry,
    events,
    get db() {
      return active().db;
    },
    get dbPath() {
      return active().dbPath;
    },
    get ai() {
      return active().ai;
    },
    get profile() {
      return active();
    },
    outbox: live.outbox,
    alerts,
    async close() {
      await campaigns.close();
      await teamBudgets.close();
      alerts.close();
      await uploads.close();
      await switching.catch(() => undefined);
      await sandbox?.close();
      sandbox = null;
      await live.close();
      teamSync.close();
      teamAws.close();
      costEvents.close();
      requestEvents.close();
      sendEvents.close();
      await fileLogger?.close();
    },
  };

}
