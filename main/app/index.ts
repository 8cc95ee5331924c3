/** The Electron shell: windows, IPC, the OS. Everything else is the plain-Node core, in its own process. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, nativeTheme, Notification, screen, shell } from 'electron';
import { CHANNELS } from '../../shared/contract';
import { noticeOpenEvent } from '../../shared/notices';
import { withHostAnswers } from '../core/api';
import { type CoreClient, CoreStartError, connectCore, describeExit } from '../core/client';
import { resolveDataDir } from '../paths';
import { createFileLogger, HOST_LOG_FILE } from '../log';
import { startCoreProcess } from './core-process';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { bridgeIpc } from './ipc';
import { startDesktop } from './desktop';
import { decryptLegacySafeStorage } from './legacy-safe-storage';
import { hardenSessions } from './security';
import { startUpdater } from './updater';
import { frontWindow } from './windows';
import { sessionPolicy } from './session-policy';
import { APP_ENTRY, DEEP_LINK_SCHEME, deepLinkInArgs, deepLinkPath, isAppUrl } from './urls';
import { loadWindowState, saveWindowState, windowBounds } from './window-state';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererDir = join(__dirname, '../renderer');

/**
 * better-sqlite3 compiled for Electron's ABI ships beside the app (see scripts/build-electron-native.mjs),
 * so the Node build in node_modules stays the one tests and the browser host use.
 */
function electronNativeBinding(): string | undefined {
  const candidate = app.isPackaged
    ? join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : join(app.getAppPath(), 'build', 'native', 'electron', 'better_sqlite3.node');
  return existsSync(candidate) ? candidate : undefined;
}

const WINDOW = { width: 1280, height: 820, minWidth: 900, minHeight: 600 };

function createWindow(dataDir: string): BrowserWindow {
  const primary = screen.getPrimaryDisplay();
  const displays = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)];
  const { maximized, ...bounds } = windowBounds(loadWindowState(dataDir), displays.map((d) => d.workArea), WINDOW);
  const win = new BrowserWindow({
    ...bounds,
    minWidth: WINDOW.minWidth,
    minHeight: WINDOW.minHeight,
    title: 'Huntaze',
    show: false,
    webPreferences: {
      // Electronegativity asks for a review of every preload: this one exposes only the contract's
      // invoke/subscribe through contextBridge, and main checks each call's sender (ipc.ts).
      preload: join(__dirname, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // A middle-click on a link would open it in a new window of the app, around the window-open handler.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    try {
      saveWindowState(dataDir, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch {
      // A place not remembered is no reason to keep the window from closing.
    }
  });
  win.webContents.on('did-finish-load', () => {
    const path = pendingPath;
    pendingPath = null;
    if (path) openPath(path);
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadURL(APP_ENTRY);
  return win;
}

/**
 * Notifications still on screen. Electron drops a Notification the script no longer references
 * when the GC runs, and its click handler with it: the alert would show but open nothing.
 */
const shownNotifications = new Set<Notification>();

/** An OS notification; its click brings the window forward on the alert or campaign it is about. */
function showNotification(notice: { title: string; body: string; path: string; level: string }): boolean {
  if (!Notification.isSupported()) return false;
  const n = new Notification({ title: notice.title, body: notice.body, urgency: notice.level === 'critical' ? 'critical' : 'normal' });
  shownNotifications.add(n);
  const release = () => shownNotifications.delete(n);
  n.on('close', release);
  n.on('failed', release);
  n.on('click', () => {
    release();
    openPath(notice.path);
  });
  n.show();
  return true;
}

/** A page the shell was asked to open (a huntaze:// link) before the window could show it. */
let pendingPath: string | null = deepLinkInArgs(process.argv);

/** Brings the window forward on a renderer path (an alert or a campaign); kept for the window's first load when none is up yet. */
function openPath(path: string): void {
  const [win] = BrowserWindow.getAllWindows();
  if (!win || win.isDestroyed() || win.webContents.isLoading()) {
    pendingPath = path;
    return;
  }
  frontWindow()?.webContents.send(CHANNELS.event, noticeOpenEvent(path), { path });
}

/** Native surfaces (menus, dialogs, the title bar) take the theme the operator chose, or the OS's under "system". */
function followTheme(core: CoreClient): void {
  const apply = (theme: unknown) => {
    if (theme === 'light' || theme === 'dark' || theme === 'system') nativeTheme.themeSource = theme;
  };
  void core.registry.dispatch('settings.get', {}).then((r) => r.ok && apply((r.value as { theme?: unknown }).theme));
  core.events.subscribe((name, payload) => {
    if (name === 'settings.changed') apply((payload as { theme?: unknown }).theme);
  });
}

function start() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  // Links from a browser or a chat land here: macOS hands them to this instance, Windows and Linux start a second one.
  // Review (Electronegativity): the scheme carries web input, so only `huntaze://campaign/<id>` is honoured (deepLinkPath).
  if (!app.isDefaultProtocolClient(DEEP_LINK_SCHEME)) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME); // eng-disable PROTOCOL_HANDLER_JS_CHECK
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const path = deepLinkPath(url);
    if (path) openPath(path);
  });
  let core: CoreClient | undefined;
  let unbridge: (() => void) | undefined;
  let stopDesktop: (() => void) | undefined;
  let closed = false;

  app.on('second-instance', (_event, argv) => {
    const path = deepLinkInArgs(argv);
    if (path) openPath(path);
    else frontWindow();
  });

  void app.whenReady().then(async () => {
    hardenSessions(devServerUrl);
    serveRenderer(rendererDir, sessionPolicy(undefined));
    const dataDir = resolveDataDir(app.getPath('userData'));
    const logger = createFileLogger({ dataDir, file: HOST_LOG_FILE });
    core = connectCore(
      startCoreProcess(),
      { dataDir, host: 'electron', nativeBinding: electronNativeBinding(), echoLogs: false },
      {
        logger,
        // Only the shell reaches safeStorage (the former store's rows, once) and the file manager.
        ports: {
          'safeStorage.decrypt': (rows) => decryptLegacySafeStorage(rows.map((r) => ({ name: r.name, ciphertext: Buffer.from(r.ciphertext, 'base64') }))),
          'shell.openPath': async (path) => (await shell.openPath(path)) === '',
          notify: async (notice) => showNotification(notice),
        },
      },
    );
    try {
      await core.ready;
    } catch (err) {
      // A refused database comes worded for the operator, and the file is left as it was found.
      const message = err instanceof CoreStartError && err.code === 'db_open' ? err.message : `Huntaze could not start: ${(err as Error).message}`;
      dialog.showErrorBox('Huntaze', message);
      await core.close();
      app.exit(1);
      return;
    }
    void core.exited.then((end) => {
      if (end.requested) return;
      logger.error('shell: the core process stopped unexpectedly', { exit: describeExit(end) });
      dialog.showErrorBox('Huntaze', `Huntaze stopped unexpectedly (${describeExit(end)}). The log is in ${logger.dir}.`);
      app.exit(1);
    });
    const updates = startUpdater(dataDir, logger);
    const bridged = bridgeIpc(withHostAnswers(core, updates), (url) => isAppUrl(url, devServerUrl), () => BrowserWindow.getAllWindows());
    unbridge = () => {
      bridged();
      updates.stop();
    };
    followTheme(core);
    stopDesktop = startDesktop(core, devServerUrl !== undefined);
    createWindow(dataDir);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow(dataDir);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Quitting waits for the core to close its databases, then quits for real.
  app.on('will-quit', (event) => {
    if (closed || !core) return;
    event.preventDefault();
    unbridge?.();
    stopDesktop?.();
    void core.close().then(() => {
      closed = true;
      app.quit();
    });
  });
}

start();
