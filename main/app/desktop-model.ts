/**
 * What the tray, the badge and the native menus show, built from the core's answers. Plain
 * Node (no `electron` import), so it runs and is tested outside the shell; main/app/tray.ts,
 * badge.ts and menu.ts only hand these strings and numbers to Electron.
 */
import { formatMicros } from '../../shared/money';
import type { LANGUAGES } from '../../shared/settings';

export type Language = (typeof LANGUAGES)[number];

export interface DesktopState {
  language: Language;
  /** Today's AI spend in the agency's zone; null until the core has answered. */
  todayMicros: number | null;
  /** Sends queued or in flight on accounts that are not paused. */
  sending: number;
  /** Accounts paused, of `accounts`. */
  paused: number;
  accounts: number;
  /** Fired budget alerts nobody has acknowledged: the dock/taskbar badge. */
  unacknowledgedAlerts: number;
}

export const EMPTY_STATE: DesktopState = { language: 'en', todayMicros: null, sending: 0, paused: 0, accounts: 0, unacknowledgedAlerts: 0 };

const WORDS = {
  en: {
    today: (m: string) => `Today: ${m}`,
    sending: (n: number) => `Sending ${n}`,
    idle: 'Not sending',
    paused: (n: number) => `${n} paused`,
    pauseAll: 'Pause all sending',
    resumeAll: 'Resume all sending',
    open: 'Open Huntaze',
    quit: 'Quit Huntaze',
    file: 'File',
    newCampaign: 'New campaign',
    close: 'Close window',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    docs: 'Huntaze documentation',
    support: 'Contact support',
  },
  fr: {
    today: (m: string) => `Aujourd’hui : ${m}`,
    sending: (n: number) => `Envoi ${n}`,
    idle: 'Aucun envoi',
    paused: (n: number) => `${n} en pause`,
    pauseAll: 'Suspendre tous les envois',
    resumeAll: 'Reprendre tous les envois',
    open: 'Ouvrir Huntaze',
    quit: 'Quitter Huntaze',
    file: 'Fichier',
    newCampaign: 'Nouvelle campagne',
    close: 'Fermer la fenêtre',
    edit: 'Édition',
    view: 'Affichage',
    window: 'Fenêtre',
    help: 'Aide',
    docs: 'Documentation de Huntaze',
    support: 'Contacter le support',
  },
} as const;

export const words = (language: Language) => WORDS[language];

/** The money as every cost view prints it: plain dollars from integer micros. */
const money = (micros: number) => formatMicros(micros, { minDecimals: 2, maxDecimals: 2 });

export interface TrayView {
  tooltip: string;
  /** The menu's first, disabled lines: the same facts one per line. */
  lines: string[];
  pauseAll: { label: string; enabled: boolean };
  resumeAll: { label: string; enabled: boolean };
  open: string;
  quit: string;
}

export function trayView(s: DesktopState): TrayView {
  const w = WORDS[s.language];
  const lines = [s.todayMicros === null ? w.today('…') : w.today(money(s.todayMicros)), s.sending > 0 ? w.sending(s.sending) : w.idle];
  if (s.paused > 0) lines.push(w.paused(s.paused));
  return {
    tooltip: `Huntaze — ${lines.join(' · ')}`,
    lines,
    pauseAll: { label: w.pauseAll, enabled: s.paused < s.accounts },
    resumeAll: { label: w.resumeAll, enabled: s.paused > 0 },
    open: w.open,
    quit: w.quit,
  };
}

/** The badge shows a count, never more than the dock can draw legibly. */
export const badgeCount = (s: DesktopState): number => Math.min(s.unacknowledgedAlerts, 99);

/** The calls the model reads, answered as the registry answers (`{ ok, value }`). */
export type Dispatch = (method: string, input: unknown) => Promise<{ ok: boolean; value?: unknown }>;

interface SendStats {
  queued: number;
  sending: number;
  paused: boolean;
}

async function value<T>(dispatch: Dispatch, method: string): Promise<T | null> {
  try {
    const r = await dispatch(method, {});
    return r.ok ? (r.value as T) : null;
  } catch {
    return null;
  }
}

/** One read of everything the shell's surfaces show; a call refused keeps that part of `previous`. */
export async function readDesktopState(dispatch: Dispatch, previous: DesktopState = EMPTY_STATE): Promise<DesktopState> {
  const [settings, costs, sends, alerts] = await Promise.all([
    value<{ language: Language }>(dispatch, 'settings.get'),
    value<{ today: { total: { micros: number } } }>(dispatch, 'costs.stats'),
    value<SendStats[]>(dispatch, 'onlyfans.stats'),
    value<Array<{ acknowledgedAt: number | null }>>(dispatch, 'costs.alerts'),
  ]);
  const next = { ...previous };
  if (settings) next.language = settings.language;
  if (costs) next.todayMicros = costs.today.total.micros;
  if (sends) {
    next.accounts = sends.length;
    next.paused = sends.filter((a) => a.paused).length;
    next.sending = sends.filter((a) => !a.paused).reduce((n, a) => n + a.queued + a.sending, 0);
  }
  if (alerts) next.unacknowledgedAlerts = alerts.filter((a) => a.acknowledgedAt === null).length;
  return next;
}

/** The core's events after which the tray, badge or menus may read differently. */
export const DESKTOP_EVENTS: ReadonlySet<string> = new Set([
  'costs.updated',
  'costs.rebuild',
  'sends.progress',
  'queue.changed',
  'accounts.changed',
  'alerts.changed',
  'settings.changed',
]);

export interface CoreView {
  registry: { dispatch: Dispatch };
  events: { subscribe(listener: (name: string, payload: unknown) => void): () => void };
}

/**
 * Reads the state now and again after each event that may change it, then calls `render`.
 * One read at a time: events arriving during a read (a campaign's sends come in bursts) ask for
 * one more read after it, not one each. Returns the unsubscribe and a promise of the current read.
 */
export function followDesktop(core: CoreView, render: (state: DesktopState) => void): { stop(): void; settled(): Promise<void> } {
  let state = EMPTY_STATE;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        state = await readDesktopState(core.registry.dispatch, state);
        if (!stopped) render(state);
      } while (again && !stopped);
      running = null;
    })();
    return running;
  };
  const off = core.events.subscribe((name) => {
    if (DESKTOP_EVENTS.has(name)) void refresh();
  });
  void refresh();
  return {
    stop() {
      stopped = true;
      off();
    },
    settled: () => running ?? Promise.resolve(),
  };
}
