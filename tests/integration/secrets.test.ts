import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../main/db/open';
import { silentLogger } from '../../main/ports/logger';
import { KEY_FILE, type Keychain, MAX_SECRET_VALUE_BYTES, type SecretStore } from '../../main/secrets';
import { createServices } from '../../main/services';
import { canary, errorOf, filesUnder, keychainEntry, silentKeychain, useSecretStores } from '../support/secrets';

const ROOT = join(import.meta.dirname, '..', '..');
const MAGIC = Buffer.from('HZS\x01', 'latin1');
const rowOf = (db: Db, name: string) => db.prepare<[string], { ciphertext: Buffer }>('SELECT ciphertext FROM secrets WHERE name = ?').get(name)?.ciphertext;

const INVALID_NAMES = ['', '.hidden', '-x', '_x', 'a b', 'a/b', '../up', 'é', 'a\nb', 'x'.repeat(101), 'key\0'];
const VALID_NAMES = ['provider.azure.apiKey', 'aws.secret_access-key', 'A', '0', 'x'.repeat(100)];

/** Behaviour the store keeps whichever way its key is held. */
async function checkContract(store: SecretStore) {
  const value = canary();
  expect(await store.get('provider.openai.apiKey')).toBeUndefined();
  expect(await store.has('provider.openai.apiKey')).toBe(false);
  await store.set('provider.openai.apiKey', value);
  expect(await store.get('provider.openai.apiKey')).toBe(value);
  expect(await store.has('provider.openai.apiKey')).toBe(true);
  const unicode = 'clé → 🔑 ' + value;
  await store.set('provider.openai.apiKey', unicode);
  expect(await store.get('provider.openai.apiKey')).toBe(unicode);
  const largest = 'k'.repeat(MAX_SECRET_VALUE_BYTES);
  await store.set('slack.webhook', largest);
  expect(await store.get('slack.webhook')).toBe(largest);
  await store.delete('provider.openai.apiKey');
  expect(await store.get('provider.openai.apiKey')).toBeUndefined();
  await store.delete('provider.openai.apiKey');
  expect(await store.get('slack.webhook')).toBe(largest);

  for (const name of VALID_NAMES) {
    await store.set(name, value);
    expect(await store.get(name)).toBe(value);
    await store.delete(name);
  }
  for (const name of INVALID_NAMES) {
    for (const op of [() => store.get(name), () => store.has(name), () => store.set(name, value), () => store.delete(name)]) {
      expect((await errorOf(op())).code).toBe('invalid_name');
    }
  }
  // A swapped call must not echo the value that landed in the name slot.
  const swapped = await errorOf(store.set(`${value} with spaces`, 'provider.openai.apiKey'));
  expect(swapped.code).toBe('invalid_name');
  expect(swapped.message).not.toContain(value);
  for (const bad of ['', 'é'.repeat(MAX_SECRET_VALUE_BYTES / 2 + 1), value + 'x'.repeat(MAX_SECRET_VALUE_BYTES)]) {
    const err = await errorOf(store.set('provider.openai.apiKey', bad));
    expect(err.code).toBe('invalid_value');
    expect(err.message).not.toContain(value);
  }
  expect(await store.has('provider.openai.apiKey')).toBe(false);
  await store.delete('slack.webhook');
}

describe('the secret store', () => {
  const { tempDir, open, openWithKeychain } = useSecretStores();

  it('keeps the contract over SQLite with its data key in the OS keychain, and reads back after a reopen', async () => {
    const dataDir = tempDir();
    const { store, db, lines } = await openWithKeychain(dataDir);
    expect(store.weaker).toBe(false);
    expect(lines).toEqual([]);
    await checkContract(store);

    const value = canary();
    await store.set('provider.azure.apiKey', value);
    db.close();
    const again = await openWithKeychain(dataDir);
    expect(await again.store.get('provider.azure.apiKey')).toBe(value);
    expect(Buffer.from(keychainEntry(dataDir).getPassword()!, 'base64')).toHaveLength(32);
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
  });

  it('stores AES-256-GCM ciphertext bound to the name: a row moved to another name does not decrypt', async () => {
    const { store, db } = await openWithKeychain(tempDir());
    const [a, b] = [canary(), canary()];
    await store.set('provider.openai.apiKey', a);
    await store.set('provider.azure.apiKey', b);
    const row = rowOf(db, 'provider.openai.apiKey')!;
    expect(row.subarray(0, 4).equals(MAGIC)).toBe(true);
    // header, key id, IV and tag, then exactly as many bytes as the value: no padding, no plaintext
    expect(row.length).toBe(4 + 8 + 12 + 16 + Buffer.byteLength(a));
    expect(row.includes(Buffer.from(a))).toBe(false);
    expect(rowOf(db, 'provider.azure.apiKey')!.subarray(4, 12).equals(row.subarray(4, 12))).toBe(true);

    db.prepare('UPDATE secrets SET ciphertext = ? WHERE name = ?').run(row, 'provider.azure.apiKey');
    db.prepare('INSERT INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, 0)').run('slack.webhook', row);
    for (const name of ['provider.azure.apiKey', 'slack.webhook']) {
      const err = await errorOf(store.get(name));
      expect(err.code).toBe('corrupt');
      expect(err.message).toContain(name);
      expect(err.message).not.toContain(a);
    }
    expect(await store.get('provider.openai.apiKey')).toBe(a);
  });

  it('never writes a secret in clear to any file of the data folder, with the keychain or the key file', async () => {
    for (const keychain of [undefined, silentKeychain()]) {
      const dataDir = tempDir();
      const { store, db } = await open(dataDir, { keychain });
      const values = [canary(), canary(), canary()];
      await store.set('provider.openai.apiKey', values[0]!);
      await store.set('provider.azure.apiKey', values[1]!);
      await store.set('provider.openai.apiKey', values[2]!);
      await store.delete('provider.azure.apiKey');
      const files = filesUnder(dataDir);
      const names = [...files.keys()].map((p) => p.slice(dataDir.length + 1));
      expect(names.includes(KEY_FILE)).toBe(keychain !== undefined);
      expect(names.some((n) => n.startsWith('huntaze.db'))).toBe(true);
      for (const [path, bytes] of files) {
        for (const value of values) {
          for (const encoded of [Buffer.from(value, 'utf8'), Buffer.from(value, 'utf16le'), Buffer.from(Buffer.from(value).toString('base64'))]) {
            expect(bytes.includes(encoded), `${path} holds a secret`).toBe(false);
          }
        }
      }
      expect(await store.get('provider.openai.apiKey')).toBe(values[2]);
      db.close();
    }
  });
});

describe('where no keychain answers', () => {
  const { tempDir, open, openWithKeychain } = useSecretStores();

  it('keeps the data key in an owner-only key file, says it is weaker, and warns once', async () => {
    const dataDir = tempDir();
    const { store, db, lines } = await open(dataDir, { keychain: silentKeychain('no keychain on this machine') });
    expect(store.kind).toBe('key-file');
    expect(store.weaker).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', fields: { store: 'key-file', dataDir } });
    expect(String(lines[0]!.fields!.reason)).toContain('no keychain on this machine');
    await checkContract(store);

    const value = canary();
    await store.set('provider.openai.apiKey', value);
    expect(statSync(join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, KEY_FILE))).toHaveLength(32);
    db.close();
    const again = await open(dataDir, { keychain: silentKeychain() });
    expect(await again.store.get('provider.openai.apiKey')).toBe(value);
    expect(JSON.stringify([...lines, ...again.lines])).not.toContain(value);
  });

  it('falls back too when the keychain answers reads but refuses or forgets the write', async () => {
    // What gnome-keyring answers with no keyring to store in (measured; see main/secrets/keychain-errors.ts).
    // A locked one is another matter: it must not fall back (tests/integration/secrets-keychain.test.ts).
    const refusing: Keychain = { description: 'a keychain without a collection', read: () => null, write: () => { throw new Error("Couldn't access platform storage: Secret Service: no result found"); } };
    const forgetful: Keychain = { description: 'a forgetful keychain', read: () => null, write: () => undefined };
    for (const keychain of [refusing, forgetful]) {
      const { store, lines } = await open(tempDir(), { keychain });
      expect(store.kind).toBe('key-file');
      expect(String(lines[0]!.fields!.reason)).toContain(keychain.description);
    }
  });

  /** The real keychain module in a child whose D-Bus environment the test controls. */
  function kindInChild(command: string[], env: NodeJS.ProcessEnv): Promise<string> {
    const script = `const { openDatabase } = await import('./main/db/open.ts');
      const { openSecretStore } = await import('./main/secrets/index.ts');
      const dir = process.env.HUNTAZE_TEST_DIR;
      const db = openDatabase(dir + '/huntaze.db');
      const store = await openSecretStore({ db, dataDir: dir, clock: { now: () => 0, monotonic: () => 0 }, logger: { info() {}, warn() {}, error() {} } });
      await store.set('provider.openai.apiKey', 'child-value');
      console.log(store.kind + ' ' + (await store.get('provider.openai.apiKey')));
      db.close();`;
    const [file, ...args] = [...command, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script];
    return new Promise((resolve, reject) => {
      execFile(file!, args, { cwd: ROOT, env }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        resolve(stdout.trim().split('\n').pop()!);
      });
    });
  }
  const isolatedEnv = (overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...overrides, HUNTAZE_TEST_DIR: tempDir() };
    // Nothing the child starts may reach the developer's display or real keyrings.
    for (const name of ['DISPLAY', 'WAYLAND_DISPLAY']) delete env[name];
    const home = tempDir();
    return { ...env, XDG_DATA_HOME: home, XDG_CACHE_HOME: home, XDG_CONFIG_HOME: home };
  };

  it('uses the key file when no D-Bus session answers', async () => {
    expect(await kindInChild([], isolatedEnv({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/huntaze-bus' }))).toBe('key-file child-value');
  });

  it('uses the key file on a D-Bus session with no unlocked keyring', async () => {
    const env = isolatedEnv({});
    delete env.DBUS_SESSION_BUS_ADDRESS;
    expect(await kindInChild(['dbus-run-session', '--'], env)).toBe('key-file child-value');
  });

  it('moves secrets under the keychain once it answers, then removes the key file', async () => {
    const dataDir = tempDir();
    const first = await open(dataDir, { keychain: silentKeychain() });
    const [a, b] = [canary(), canary()];
    await first.store.set('provider.openai.apiKey', a);
    await first.store.set('provider.azure.apiKey', b);
    const fileKeyId = rowOf(first.db, 'provider.openai.apiKey')!.subarray(4, 12);
    first.db.close();

    const second = await openWithKeychain(dataDir);
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
    expect(await second.store.get('provider.openai.apiKey')).toBe(a);
    expect(await second.store.get('provider.azure.apiKey')).toBe(b);
    expect(rowOf(second.db, 'provider.azure.apiKey')!.subarray(4, 12).equals(fileKeyId)).toBe(false);
    expect(second.lines.filter((l) => l.level !== 'info')).toEqual([]);
  });
});

describe('a key or a row that cannot be used', () => {
  const { tempDir, open, openWithKeychain } = useSecretStores();

  it('a replaced keychain key: the secret reads as wrong_key, is named in a warning, and can be entered again', async () => {
    const dataDir = tempDir();
    const first = await openWithKeychain(dataDir);
    const value = canary();
    await first.store.set('provider.openai.apiKey', value);
    first.db.close();
    keychainEntry(dataDir).setPassword(randomBytes(32).toString('base64'));

    const { store, lines } = await openWithKeychain(dataDir);
    expect(lines).toMatchObject([{ level: 'warn', fields: { names: ['provider.openai.apiKey'] } }]);
    for (const op of [() => store.get('provider.openai.apiKey'), () => store.has('provider.openai.apiKey')]) {
      const err = await errorOf(op());
      expect(err.code).toBe('wrong_key');
      expect(err.message).not.toContain(value);
    }
    await store.set('provider.openai.apiKey', 'sk-entered-again');
    expect(await store.get('provider.openai.apiKey')).toBe('sk-entered-again');
  });

  it('a damaged row is a typed error, is left as found, and the other secrets stay readable', async () => {
    const { store, db } = await openWithKeychain(tempDir());
    const value = canary();
    await store.set('provider.openai.apiKey', value);
    await store.set('provider.azure.apiKey', canary());
    const original = rowOf(db, 'provider.azure.apiKey')!;
    const damaged = [original.subarray(0, 20), original.subarray(0, 40), Buffer.alloc(0)];
    for (let i = 0; i < original.length; i++) {
      const flipped = Buffer.from(original);
      flipped[i]! ^= 0x01;
      damaged.push(flipped);
    }
    for (const [i, bytes] of damaged.entries()) {
      db.prepare('UPDATE secrets SET ciphertext = ? WHERE name = ?').run(bytes, 'provider.azure.apiKey');
      const err = await errorOf(store.get('provider.azure.apiKey'));
      // A changed magic looks like a legacy row, a changed key id like another key: both are wrong_key.
      expect(err.code, `case ${i}`).toBe(i >= 3 && i - 3 < 12 ? 'wrong_key' : 'corrupt');
      expect(rowOf(db, 'provider.azure.apiKey')!.equals(bytes)).toBe(true);
      expect(await store.get('provider.openai.apiKey')).toBe(value);
    }
  });

  it('a damaged keychain key is reported, never overwritten, and nothing can be written until it is restored', async () => {
    const dataDir = tempDir();
    const first = await openWithKeychain(dataDir);
    await first.store.set('provider.openai.apiKey', canary());
    first.db.close();
    keychainEntry(dataDir).setPassword('not a key');

    const { store, lines } = await open(dataDir);
    expect(store.kind).toBe('os-keychain');
    expect(lines).toMatchObject([{ level: 'error' }]);
    expect((await errorOf(store.get('provider.openai.apiKey'))).code).toBe('corrupt');
    expect((await errorOf(store.set('provider.azure.apiKey', canary()))).code).toBe('corrupt');
    expect(await store.get('provider.azure.apiKey')).toBeUndefined();
    await store.delete('provider.openai.apiKey');
    expect(await store.has('provider.openai.apiKey')).toBe(false);
    expect(keychainEntry(dataDir).getPassword()).toBe('not a key');
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
  });

  it('a damaged key file is reported and left as found', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, KEY_FILE), randomBytes(16), { mode: 0o600 });
    const before = readFileSync(join(dataDir, KEY_FILE));
    const { store } = await open(dataDir, { keychain: silentKeychain() });
    expect(store.kind).toBe('key-file');
    const err = await errorOf(store.set('provider.openai.apiKey', canary()));
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain(KEY_FILE);
    expect(readFileSync(join(dataDir, KEY_FILE)).equals(before)).toBe(true);
  });
});

describe('both hosts', () => {
  const { tempDir } = useSecretStores();

  it('share one store: a key set in the browser host is set in the desktop app, and Settings learns only set / not set', async () => {
    const dataDir = tempDir();
    const web = await createServices({ dataDir, host: 'web', logger: silentLogger });
    const value = canary();
    expect((await web.registry.dispatch('providers.setKey', { provider: 'openai', apiKey: value })).ok).toBe(true);
    await web.close();

    const handedOver: string[][] = [];
    const desktop = await createServices({
      dataDir,
      host: 'electron',
      logger: silentLogger,
      secrets: { legacy: { safeStorage: async (rows) => (handedOver.push(rows.map((r) => r.name)), []) } },
    });
    const list = await desktop.registry.dispatch('providers.list', {});
    await desktop.close();
    expect(list).toMatchObject({ ok: true, value: { secretStore: { kind: 'os-keychain', weaker: false } } });
    const openai = (list as { ok: true; value: { providers: { id: string; keySet: boolean }[] } }).value.providers.find((p) => p.id === 'openai');
    expect(openai?.keySet).toBe(true);
    expect(JSON.stringify(list)).not.toContain(value);
    // Nothing was in the former desktop format, so the shell was not asked.
    expect(handedOver).toEqual([]);
  });
});
