import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { dataKeyService, type Keychain, KEY_FILE, osKeychain } from '../../main/secrets';
import { classifyKeychainFailure } from '../../main/secrets/keychain-errors';
import { createServices, type Services } from '../../main/services';
import type { Output } from '../../shared/contract';
import { errorOf, keychainEntry, useSecretStores } from '../support/secrets';

// The exact messages @napi-rs/keyring threw against a real gnome-keyring (see keychain-errors.ts).
const LOCKED = "Couldn't access platform storage: Secret Service: unlock prompt was dismissed";
const ABSENT = "Couldn't access platform storage: Secret Service: no result found";

/**
 * The real OS keychain (the throwaway one under scripts/with-keyring.sh) behind a switch: while
 * `failure` is set every call throws that message, as the library does when locked or absent.
 */
async function switchable(dataDir: string, failure: string | null) {
  const real = await osKeychain(dataKeyService(dataDir));
  const state = { failure };
  const guard = () => {
    if (state.failure) throw new Error(state.failure);
  };
  const keychain: Keychain = {
    description: real.description,
    read: () => (guard(), real.read()),
    write: (value) => (guard(), real.write(value)),
  };
  return { keychain, state };
}

describe('classifying keychain failures', () => {
  it('tells a locked keychain (or a refused unlock) from an absent one', () => {
    expect(classifyKeychainFailure(LOCKED)).toBe('locked');
    expect(classifyKeychainFailure("Couldn't access platform storage: User interaction is not allowed.")).toBe('locked');
    expect(classifyKeychainFailure('Platform failure: User canceled the operation.')).toBe('locked');
    expect(classifyKeychainFailure(ABSENT)).toBe('absent');
    expect(classifyKeychainFailure('Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead')).toBe('absent');
  });
});

describe('a locked keychain', () => {
  const stores = useSecretStores();

  it('creates no key file, refuses secrets with a typed locked error, and unlocks without a restart', async () => {
    const dataDir = stores.tempDir();
    const { keychain, state } = await switchable(dataDir, LOCKED);
    const { store, lines } = await stores.open(dataDir, { keychain });
    expect(store.kind).toBe('os-keychain');
    expect(store.state).toBe('locked');
    // A key file now would fork the data key from the one the keychain holds once unlocked.
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
    expect((await errorOf(store.set('provider.openai.apiKey', 'sk-locked-value'))).code).toBe('locked');
    expect(lines.some((l) => l.level === 'warn' && /locked/.test(l.msg))).toBe(true);

    // Still locked: Try again changes nothing and still creates no file.
    expect(await store.retryKeychain()).toBe('locked');
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
    // Measured while gnome-keyring restarts as it unlocks: another error, which is no proof the key is gone.
    state.failure = 'Platform failure: DBus error: Message recipient disconnected from message bus without replying';
    expect(await store.retryKeychain()).toBe('locked');
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);

    let announced = 0;
    store.onKeyChanged?.(() => announced++);
    state.failure = null;
    expect(await store.retryKeychain()).toBe('keychain');
    expect(announced).toBe(1);
    await store.set('provider.openai.apiKey', 'sk-after-unlock');
    expect(await store.get('provider.openai.apiKey')).toBe('sk-after-unlock');
    expect(keychainEntry(dataDir).getPassword()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
  });

  it('keeps reading secrets under a key file an earlier fallback left, and creates no other', async () => {
    const dataDir = stores.tempDir();
    const absent = await switchable(dataDir, ABSENT);
    const first = await stores.open(dataDir, { keychain: absent.keychain });
    expect(first.store.state).toBe('key-file');
    await first.store.set('slack.webhook', 'https://hooks.example/x');
    first.db.close();

    const locked = await switchable(dataDir, LOCKED);
    const again = await stores.open(dataDir, { keychain: locked.keychain });
    expect(again.store.state).toBe('key-file');
    expect(await again.store.get('slack.webhook')).toBe('https://hooks.example/x');

    // Unlocked: the rows move under the keychain's key and the file goes, without a restart.
    locked.state.failure = null;
    expect(await again.store.retryKeychain()).toBe('keychain');
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
    expect(await again.store.get('slack.webhook')).toBe('https://hooks.example/x');
    again.db.close();
    const reopened = await stores.openWithKeychain(dataDir);
    expect(await reopened.store.get('slack.webhook')).toBe('https://hooks.example/x');
  });
});

describe('a really locked gnome-keyring', () => {
  const stores = useSecretStores();
  const ROOT = resolve(import.meta.dirname, '../..');

  /**
   * A private D-Bus session over a throwaway keyrings folder holding a login keyring that is
   * locked (tests/fixtures/keyrings/login.keyring, an empty keyring whose password is "pw",
   * written by gnome-keyring-daemon --unlock): a desktop session whose keyring did not unlock at
   * login. D-Bus starts the daemon on first use and stops it with the session. With no display
   * the unlock prompt is dismissed at once and the library throws; a desktop shows its own dialog.
   */
  function inLockedKeyring(dataDir: string): Promise<string> {
    const home = stores.tempDir();
    mkdirSync(join(home, 'keyrings'));
    copyFileSync(join(ROOT, 'tests/fixtures/keyrings/login.keyring'), join(home, 'keyrings/login.keyring'));
    const script = `const { openDatabase } = await import('./main/db/open.ts');
      const { openSecretStore } = await import('./main/secrets/index.ts');
      const { existsSync } = await import('node:fs');
      const dir = process.env.HUNTAZE_TEST_DIR;
      const db = openDatabase(dir + '/huntaze.db');
      const store = await openSecretStore({ db, dataDir: dir, clock: { now: () => 0, monotonic: () => 0 }, logger: { info() {}, warn() {}, error() {} }, legacy: { keytar: null } });
      const again = await store.retryKeychain();
      console.log([store.kind, store.state, again, existsSync(dir + '/secret-store.key')].join(' '));
      db.close();`;
    const env: NodeJS.ProcessEnv = { ...process.env, HUNTAZE_TEST_DIR: dataDir, XDG_DATA_HOME: home, XDG_CACHE_HOME: home, XDG_CONFIG_HOME: home };
    // Nothing the child starts may reach the developer's display, session bus or real keyrings.
    for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS']) delete env[name];
    return new Promise((done, reject) => {
      execFile('dbus-run-session', ['--', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        done(stdout.trim().split('\n').pop()!);
      });
    });
  }

  it('opens locked: no key file is created and Try again stays locked while it is', async () => {
    const dataDir = stores.tempDir();
    expect(await inLockedKeyring(dataDir)).toBe('os-keychain locked locked false');
  });
});

describe('keychain status over the registry', () => {
  const stores = useSecretStores();

  const start = async (dataDir: string, keychain: Keychain) =>
    createServices({ dataDir, host: 'web', clock: manualClock(), logger: silentLogger, secrets: { keychain, legacy: { keytar: null } } });

  const status = async (services: Services) => {
    const reply = await services.registry.dispatch('keychain.status', {});
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    return reply.value;
  };

  it('shows the key-file notice once until acknowledged, and again only after the key moved back and fell back', async () => {
    const dataDir = stores.tempDir();
    const absent = await switchable(dataDir, ABSENT);
    const first = await start(dataDir, absent.keychain);
    const pushed: unknown[] = [];
    first.events.subscribe((event, payload) => pushed.push([event, payload]));
    expect(await status(first)).toEqual({ state: 'key-file', platform: process.platform === 'linux' ? 'linux' : expect.any(String), notice: true });
    expect(await first.registry.dispatch('keychain.acknowledge', {})).toMatchObject({ ok: true, value: { state: 'key-file', notice: false } });
    expect(pushed).toEqual([['keychain.changed', expect.objectContaining({ notice: false })]]);
    await first.close();

    // Acknowledged is remembered across a restart.
    const second = await start(dataDir, absent.keychain);
    expect(await status(second)).toMatchObject({ state: 'key-file', notice: false });
    expect((await second.registry.dispatch('providers.setKey', { provider: 'openai', apiKey: 'sk-file-key-123' })).ok).toBe(true);

    // The keychain answers: Try again moves the key there, the provider key stays set.
    absent.state.failure = null;
    expect(await second.registry.dispatch('keychain.retry', {})).toMatchObject({ ok: true, value: { state: 'keychain', notice: false } });
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
    expect(await second.registry.dispatch('providers.list', {})).toMatchObject({ ok: true, value: { secretStore: { kind: 'os-keychain', weaker: false } } });
    await second.close();

    // Falling back again later is news again. (The keychain entry is removed as a lost keychain would be.)
    keychainEntry(dataDir).deleteCredential();
    absent.state.failure = ABSENT;
    const third = await start(dataDir, absent.keychain);
    expect(await status(third)).toMatchObject({ state: 'key-file', notice: true });
    await third.close();
  });

  it('answers keychain_locked to a call that needs a secret, and Try again brings the saved keys back', async () => {
    const dataDir = stores.tempDir();
    const switched = await switchable(dataDir, null);
    const first = await start(dataDir, switched.keychain);
    expect((await first.registry.dispatch('providers.setKey', { provider: 'openai', apiKey: 'sk-kept-in-keychain' })).ok).toBe(true);
    await first.close();

    switched.state.failure = LOCKED;
    const second = await start(dataDir, switched.keychain);
    expect(await status(second)).toMatchObject({ state: 'locked', notice: false });
    expect(await second.registry.dispatch('providers.setKey', { provider: 'openai', apiKey: 'sk-while-locked' })).toEqual({
      ok: false,
      error: { kind: 'unavailable', code: 'keychain_locked', params: {} },
    });
    const keySet = async () => {
      const list = await second.registry.dispatch('providers.list', {});
      if (!list.ok) throw new Error(JSON.stringify(list.error));
      return (list.value as Output<'providers.list'>).providers.find((p) => p.id === 'openai')!.keySet;
    };
    expect(await keySet()).toBe(false);
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);

    switched.state.failure = null;
    expect(await second.registry.dispatch('keychain.retry', {})).toMatchObject({ ok: true, value: { state: 'keychain' } });
    expect(await keySet()).toBe(true);
    await second.close();
  });
});
