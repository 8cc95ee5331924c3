import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ROOT } from './web-process';

export interface LockedKeyring {
  /** For the host's environment: its keychain calls reach this session's locked keyring. */
  env: NodeJS.ProcessEnv;
}

/**
 * A private D-Bus session whose Secret Service holds a locked login keyring (the fixture in
 * tests/fixtures/keyrings, an empty keyring whose password is "pw"): a desktop session whose
 * keyring did not unlock at login. D-Bus starts gnome-keyring on first use; without a display
 * its unlock prompt is dismissed at once, which the app reports as locked. Every process it
 * starts is stopped after the test. (Unlocking it from outside headless did not work here:
 * `gnome-keyring-daemon --replace --unlock` finds the activated daemon still owning the bus name.)
 */
export function useLockedKeyrings(tempDir: () => string): () => Promise<LockedKeyring> {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of children.splice(0).reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const closed = once(child, 'close');
      // The session ends with its stdin, and D-Bus stops the keyring daemon it started.
      child.stdin?.end();
      await closed;
    }
  });
  return async () => {
    const home = tempDir();
    mkdirSync(join(home, 'keyrings'));
    copyFileSync(join(ROOT, 'tests/fixtures/keyrings/login.keyring'), join(home, 'keyrings/login.keyring'));
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: home, XDG_CACHE_HOME: home, XDG_CONFIG_HOME: home };
    // Nothing started here may reach the developer's display, session bus or real keyrings.
    for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS']) delete env[name];
    const bus = spawn('dbus-run-session', ['--', 'sh', '-c', 'echo "$DBUS_SESSION_BUS_ADDRESS"; exec cat >/dev/null'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    children.push(bus);
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      bus.stdout!.on('data', (d) => {
        out += String(d);
        if (out.includes('\n')) resolve(out.trim());
      });
      bus.once('close', (code) => reject(new Error(`dbus-run-session exited with ${code}`)));
    });
    return { env: { DBUS_SESSION_BUS_ADDRESS: address } };
  };
}
