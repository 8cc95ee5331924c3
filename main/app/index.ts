/** The Electron shell: windows, IPC, the OS. Everything else is the plain-Node core. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { DbOpenError } from '../db/open';
import { resolveDataDir } from '../paths';
import { createFileLogger } from '../log';
import { createServices, type Services } from '../services';
import { bridgeIpc } from './ipc';
import { decryptLegacySafeStorage } from './legacy-safe-storage';
import { hardenSessions } from './security';
import { isAppUrl } from './urls';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(__dirname, '../renderer/index.html');

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

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Huntaze',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererFile);
  return win;
}

function start() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let services: Services | undefined;
  let unbridge: (() => void) | undefined;

  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  void app.whenReady().then(async () => {
    hardenSessions(devServerUrl);
    try {
      const dataDir = resolveDataDir(app.getPath('userData'));
      const logger = createFileLogger({ dataDir });
      const nativeBinding = electronNativeBinding();
      // Only the shell can decrypt what the former safeStorage store left; the core re-seals it once.
      services = await createServices({
        dataDir,
        host: 'electron',
        logger,
        nativeBinding,
        secrets: { legacy: { safeStorage: decryptLegacySafeStorage } },
      });
    } catch (err) {
      const message = err instanceof DbOpenError ? err.message : `Huntaze could not start: ${(err as Error).message}`;
      dialog.showErrorBox('Huntaze', message);
      app.exit(1);
      return;
    }
    const ready = services;
    unbridge = bridgeIpc(ready, (url) => isAppUrl(url, devServerUrl, rendererFile), () => BrowserWindow.getAllWindows());
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    unbridge?.();
    void services?.close();
  });
}

start();
