import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..', '..');
export const MAIN_ENTRY = join(ROOT, 'out', 'main', 'index.cjs');

/**
 * The Electron executable `npm i` downloaded, read the way the electron package does, without
 * its index.js: that one starts a download when the binary is missing, and this must fail fast.
 */
export function electronBinary(): string {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(pkg, 'path.txt');
  const binary = override
    ? join(override, process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : process.platform === 'win32' ? 'electron.exe' : 'electron')
    : existsSync(pathFile)
      ? join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim())
      : '';
  if (!binary || !existsSync(binary)) {
    throw new Error(
      'Electron binary not found: run `npx electron --version` with network (or reinstall with `npm i`) so node_modules/electron downloads it, or set ELECTRON_OVERRIDE_DIST_PATH.',
    );
  }
  if (!existsSync(MAIN_ENTRY)) throw new Error(`${MAIN_ENTRY} is missing: run \`npm run build\` first.`);
  return binary;
}

// --no-sandbox only where Linux CI containers lack user namespaces; the renderer sandbox is the app's own setting.
export const CONTAINER_FLAGS = process.platform === 'linux' && process.env.CI ? ['--no-sandbox'] : [];

/** Launches the built app on its own data folder; extra args are what the OS would pass (a deep link). */
export async function launchApp(dataDir: string, args: string[] = []): Promise<ElectronApplication> {
  const executablePath = electronBinary();
  return _electron.launch({
    executablePath,
    args: [MAIN_ENTRY, ...CONTAINER_FLAGS, ...args],
    env: { ...process.env, HUNTAZE_DATA_DIR: dataDir, NODE_ENV: 'production' },
  });
}

export const heading = (page: Page) => page.getByRole('heading', { level: 1 });
export const appPath = (page: Page) => new URL(page.url()).pathname;
