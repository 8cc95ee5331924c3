import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Huntaze';
export const DB_FILE = 'huntaze.db';
/** The Sandbox profile's own database, beside the live one: nothing written there reaches live data. */
export const SANDBOX_DB_FILE = 'huntaze-sandbox.db';

/**
 * Where data lives when neither `HUNTAZE_DATA_DIR` nor the Electron shell says otherwise.
 * Matches Electron's `app.getPath('userData')`, so the browser host and the desktop app
 * share one database on the same machine.
 */
export function defaultDataDir(platform = process.platform, env = process.env, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
}

export function resolveDataDir(fallback: string, env = process.env): string {
  return env.HUNTAZE_DATA_DIR && env.HUNTAZE_DATA_DIR.trim() ? env.HUNTAZE_DATA_DIR : fallback;
}

/**
 * The keychain service that holds this data folder's secrets. Another data folder (a second
 * profile, a test run) gets its own, so it can never read or overwrite the default profile's keys.
 */
export function keychainService(dataDir: string, fallback = defaultDataDir()): string {
  if (dataDir === fallback) return PRODUCT_NAME;
  return `${PRODUCT_NAME} (${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)})`;
}
