import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../main/ports/logger';
import {
  createFileSecretStore,
  createKeytarStore,
  createNodeSecretStore,
  KEY_FILE,
  type KeytarApi,
  MAX_SECRET_VALUE_BYTES,
  SECRETS_FILE,
  type SecretStore,
  SecretStoreError,
} from '../../main/secrets';
import { useTempDirs } from '../support/tmp';

const ROOT = join(import.meta.dirname, '..', '..');
const keytar = createRequire(import.meta.url)('keytar') as KeytarApi;

const canary = () => `sk-canary-${randomBytes(12).toString('hex')}`;

/** Every file under dir, with its bytes. */
function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.set(path, readFileSync(path));
    }
  }
  return out;
}

async function errorOf(promise: Promise<unknown>): Promise<SecretStoreError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SecretStoreError);
  return err as SecretStoreError;
}

function recordingLogger() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => lines.push({ level, msg, fields });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

const INVALID_NAMES = ['', '.hidden', '-x', '_x', 'a b', 'a/b', '../up', 'é', 'a\nb', 'x'.repeat(101), 'key\0'];
const VALID_NAMES = ['provider.azure.apiKey', 'aws.secret_access-key', 'A', '0', 'x'.repeat(100)];

/** Behaviour every adapter shares, whatever keeps the bytes. */
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
  expect(await store.has('provider.openai.apiKey')).toBe(false);
  await store.delete('provider.openai.apiKey');
  expect(await store.get('slack.webhook')).toBe(largest);

  for (const name of VALID_NAMES) {
    await store.set(name, value);
    expect(await store.get(name)).toBe(value);
    await store.delete(name);
  }
  for (const name of INVALID_NAMES) {
    for (const op of [() => store.get(name), () => store.has(name), () => store.set(name, value), () => store.delete(name)]) {
      const err = await errorOf(op());
      expect(err.code).toBe('invalid_name');
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

describe('the encrypted-file store', () => {
  const tempDir = useTempDirs();

  it('keeps the SecretStore contract and says it is the weaker store', async () => {
    const store = createFileSecretStore(tempDir());
    expect(store.kind).toBe('encrypted-file');
    expect(store.weaker).toBe(true);
    await checkContract(store);
  });

  it('creates nothing until the first set, then the folder, the key and the file', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = createFileSecretStore(dataDir);
    expect(await store.get('provider.openai.apiKey')).toBeUndefined();
    await store.delete('provider.openai.apiKey');
    expect(existsSync(dataDir)).toBe(false);

    await store.set('provider.openai.apiKey', canary());
    expect(readdirSync(dataDir).sort()).toEqual([SECRETS_FILE, KEY_FILE].sort());
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('reads back what an earlier instance wrote', async () => {
    const dataDir = tempDir();
    const value = canary();
    await createFileSecretStore(dataDir).set('provider.azure.apiKey', value);
    expect(await createFileSecretStore(dataDir).get('provider.azure.apiKey')).toBe(value);
  });

  it('never writes a plaintext value anywhere in the data folder', async () => {
    const dataDir = tempDir();
    const store = createFileSecretStore(dataDir);
    const values = [canary(), canary(), canary()];
    await store.set('provider.openai.apiKey', values[0]!);
    await store.set('provider.azure.apiKey', values[1]!);
    await store.set('provider.openai.apiKey', values[2]!);
    await store.delete('provider.azure.apiKey');

    const files = filesUnder(dataDir);
    expect([...files.keys()].map((p) => p.slice(dataDir.length + 1)).sort()).toEqual([SECRETS_FILE, KEY_FILE].sort());
    for (const [path, bytes] of files) {
      for (const value of values) {
        for (const encoded of [Buffer.from(value, 'utf8'), Buffer.from(value, 'utf16le'), Buffer.from(Buffer.from(value).toString('base64'))]) {
          expect(bytes.includes(encoded), `${path} holds a secret`).toBe(false);
        }
      }
    }
    expect(await store.get('provider.openai.apiKey')).toBe(values[2]);
  });

  it('keeps the key and the secrets readable by the owner only, across rewrites', async () => {
    const dataDir = tempDir();
    const store = createFileSecretStore(dataDir);
    await store.set('provider.openai.apiKey', canary());
    await store.set('provider.openai.apiKey', canary());
    await store.delete('provider.openai.apiKey');
    expect(statSync(join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, KEY_FILE))).toHaveLength(32);
  });

  it('refuses a file with any single flipped byte and leaves it exactly as found', async () => {
    const dataDir = tempDir();
    const value = canary();
    const writer = createFileSecretStore(dataDir);
    await writer.set('provider.openai.apiKey', value);
    await writer.set('slack.webhook', canary());
    const path = join(dataDir, SECRETS_FILE);
    const original = readFileSync(path);

    for (let i = 0; i < original.length; i++) {
      const tampered = Buffer.from(original);
      tampered[i]! ^= 0x01;
      writeFileSync(path, tampered);
      const err = await errorOf(createFileSecretStore(dataDir).get('provider.openai.apiKey'));
      expect(err.code, `byte ${i}`).toBe('corrupt');
      expect(err.message).toContain(path);
      expect(err.message).not.toContain(value);
      expect(readFileSync(path).equals(tampered)).toBe(true);
    }

    const tampered = Buffer.from(original);
    tampered[original.indexOf('"data"') + 10]! ^= 0x01;
    writeFileSync(path, tampered);
    const store = createFileSecretStore(dataDir);
    for (const op of [() => store.has('slack.webhook'), () => store.set('other.key', canary()), () => store.delete('slack.webhook')]) {
      expect((await errorOf(op())).code).toBe('corrupt');
    }
    expect(readFileSync(path).equals(tampered)).toBe(true);
    expect(readdirSync(dataDir).sort()).toEqual([SECRETS_FILE, KEY_FILE].sort());
  });

  it('refuses an entry moved under another name, a damaged or missing key, and garbage', async () => {
    const dataDir = tempDir();
    const store = createFileSecretStore(dataDir);
    await store.set('provider.openai.apiKey', canary());
    await store.set('provider.azure.apiKey', canary());
    const path = join(dataDir, SECRETS_FILE);
    const keyPath = join(dataDir, KEY_FILE);
    const original = readFileSync(path, 'utf8');
    const key = readFileSync(keyPath);

    const parsed = JSON.parse(original) as { entries: Record<string, unknown> };
    parsed.entries['provider.azure.apiKey'] = parsed.entries['provider.openai.apiKey'];
    const cases: [string, () => void][] = [
      ['swapped entry', () => writeFileSync(path, JSON.stringify(parsed))],
      ['other key', () => writeFileSync(keyPath, randomBytes(32))],
      ['short key', () => writeFileSync(keyPath, key.subarray(0, 16))],
      ['not JSON', () => writeFileSync(path, 'not json at all')],
      ['newer version', () => writeFileSync(path, original.replace('"version": 1', '"version": 2'))],
      ['extra field', () => writeFileSync(path, original.replace('"version": 1', '"version": 1, "plain": {}'))],
      ['empty file', () => writeFileSync(path, '')],
    ];
    for (const [label, damage] of cases) {
      writeFileSync(path, original);
      writeFileSync(keyPath, key);
      damage();
      const before = filesUnder(dataDir);
      for (const op of [() => store.get('provider.openai.apiKey'), () => store.set('provider.openai.apiKey', canary())]) {
        expect((await errorOf(op())).code, label).toBe('corrupt');
      }
      expect(filesUnder(dataDir), label).toEqual(before);
    }

    writeFileSync(path, original);
    writeFileSync(keyPath, key);
    expect(await store.has('provider.azure.apiKey')).toBe(true);
  });

  it('never makes a new key for secrets whose key is gone', async () => {
    const dataDir = tempDir();
    const store = createFileSecretStore(dataDir);
    await store.set('provider.openai.apiKey', canary());
    const before = readFileSync(join(dataDir, SECRETS_FILE));
    const keyPath = join(dataDir, KEY_FILE);
    rmSync(keyPath);

    const err = await errorOf(store.set('provider.azure.apiKey', canary()));
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain(KEY_FILE);
    expect(existsSync(keyPath)).toBe(false);
    expect(readFileSync(join(dataDir, SECRETS_FILE)).equals(before)).toBe(true);
  });

  it('loses no write when sets and deletes race, within one store or across two', async () => {
    const dataDir = tempDir();
    const a = createFileSecretStore(dataDir);
    const b = createFileSecretStore(dataDir);
    const values = Array.from({ length: 20 }, () => canary());
    await Promise.all([
      ...values.map((v, i) => (i % 2 ? a : b).set(`provider.p${i}.apiKey`, v)),
      a.set('doomed.key', canary()).then(() => b.delete('doomed.key')),
    ]);
    const reader = createFileSecretStore(dataDir);
    for (const [i, v] of values.entries()) expect(await reader.get(`provider.p${i}.apiKey`)).toBe(v);
    expect(await reader.has('doomed.key')).toBe(false);
    expect(readdirSync(dataDir).sort()).toEqual([SECRETS_FILE, KEY_FILE].sort());
  });

  it('keeps writing after a refused set', async () => {
    const store = createFileSecretStore(tempDir());
    const results = await Promise.allSettled([store.set('ok.one', canary()), store.set('bad name', canary()), store.set('ok.two', canary())]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.has('ok.one')).toBe(true);
    expect(await store.has('ok.two')).toBe(true);
  });
});

/** The real keychain, reached through the Secret Service that scripts/with-keyring.sh provides. */
describe('the OS keychain store', () => {
  const services: string[] = [];
  const freshService = () => {
    const service = `Huntaze-test-${randomBytes(6).toString('hex')}`;
    services.push(service);
    return service;
  };
  const realStore = (service: string) =>
    createKeytarStore(service).catch((err: unknown) => {
      throw new Error(`${(err as Error).message} — run the tests through scripts/with-keyring.sh, which provides a Secret Service`);
    });
  afterEach(async () => {
    for (const service of services.splice(0)) {
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
    }
  });

  it('keeps the SecretStore contract against the real keychain, one entry per secret', async () => {
    const service = freshService();
    const store = await realStore(service);
    expect(store.kind).toBe('os-keychain');
    expect(store.weaker).toBe(false);
    expect(await keytar.findCredentials(service)).toEqual([]);

    await checkContract(store);

    const value = canary();
    await store.set('provider.azure.apiKey', value);
    expect(await keytar.getPassword(service, 'provider.azure.apiKey')).toBe(value);
    expect(await (await realStore(service)).get('provider.azure.apiKey')).toBe(value);
    expect((await keytar.findCredentials(service)).map((c) => c.account)).toEqual(['provider.azure.apiKey']);
  });

  it('is unavailable when keytar cannot load or the keychain refuses', async () => {
    const noModule = await errorOf(createKeytarStore(freshService(), () => Promise.reject(new Error('native module missing'))));
    expect(noModule.code).toBe('unavailable');
    expect(noModule.message).toContain('native module missing');

    // Reads answer but writes fail: what a Secret Service with no unlocked collection does.
    const refusing: KeytarApi = {
      ...keytar,
      findCredentials: async () => [],
      setPassword: () => Promise.reject(new Error('collection is locked')),
    };
    const locked = await errorOf(createKeytarStore(freshService(), async () => refusing));
    expect(locked.code).toBe('unavailable');
    expect(locked.message).toContain('collection is locked');
  });

  /** Runs the factory in a child whose environment the test controls: libsecret keeps its bus. */
  function probeInChild(command: string[], env: NodeJS.ProcessEnv): Promise<{ ok?: true; code?: string }> {
    const script = `import('./main/secrets/keytar-store.ts').then((m) => m.createKeytarStore('Huntaze-test-child'))
      .then(() => console.log(JSON.stringify({ ok: true })), (e) => console.log(JSON.stringify({ code: e.code })));`;
    const [file, ...args] = [...command, process.execPath, '--import', 'tsx', '-e', script];
    return new Promise((resolve, reject) => {
      execFile(file!, args, { cwd: ROOT, env }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as { ok?: true; code?: string });
      });
    });
  }

  const tempDir = useTempDirs();
  const isolatedEnv = (overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
    // Nothing the child starts may reach the developer's display or real keyrings.
    for (const name of ['DISPLAY', 'WAYLAND_DISPLAY']) delete env[name];
    const home = tempDir();
    return { ...env, XDG_DATA_HOME: home, XDG_CACHE_HOME: home, XDG_CONFIG_HOME: home };
  };

  it('is unavailable when no D-Bus session answers', async () => {
    expect(await probeInChild([], isolatedEnv({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/huntaze-bus' }))).toEqual({ code: 'unavailable' });
  });

  it('is unavailable on a D-Bus session without an unlocked keyring to write to', async () => {
    const env = isolatedEnv({});
    delete env.DBUS_SESSION_BUS_ADDRESS;
    expect(await probeInChild(['dbus-run-session', '--'], env)).toEqual({ code: 'unavailable' });
  });
});

describe('createNodeSecretStore', () => {
  const tempDir = useTempDirs();

  it('picks the OS keychain when one answers, without a warning', async () => {
    const { logger, lines } = recordingLogger();
    const store = await createNodeSecretStore({ dataDir: tempDir(), logger });
    expect(store.kind).toBe('os-keychain');
    expect(store.weaker).toBe(false);
    expect(lines).toEqual([]);
  });

  it('falls back to the encrypted file with one warning when the keychain is unavailable', async () => {
    const { logger, lines } = recordingLogger();
    const dataDir = tempDir();
    const store = await createNodeSecretStore({
      dataDir,
      logger,
      keychain: () => createKeytarStore('Huntaze-test-unused', () => Promise.reject(new Error('no keychain on this machine'))),
    });
    expect(store.kind).toBe('encrypted-file');
    expect(store.weaker).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', fields: { store: 'encrypted-file', dataDir } });
    expect(String(lines[0]!.fields!.reason)).toContain('no keychain on this machine');

    const value = canary();
    await store.set('provider.openai.apiKey', value);
    expect(await store.get('provider.openai.apiKey')).toBe(value);
    expect(existsSync(join(dataDir, SECRETS_FILE))).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(value);
  });

  it('uses the encrypted file without asking the keychain when told not to prefer it', async () => {
    const { logger, lines } = recordingLogger();
    let asked = false;
    const store = await createNodeSecretStore({
      dataDir: tempDir(),
      logger,
      preferKeychain: false,
      keychain: async () => {
        asked = true;
        throw new Error('should not be called');
      },
    });
    expect(store.kind).toBe('encrypted-file');
    expect(asked).toBe(false);
    expect(lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('lets a keychain failure other than "unavailable" surface instead of hiding it', async () => {
    const { logger, lines } = recordingLogger();
    const bug = new TypeError('a bug in the adapter');
    await expect(createNodeSecretStore({ dataDir: tempDir(), logger, keychain: () => Promise.reject(bug) })).rejects.toBe(bug);
    expect(lines).toEqual([]);
  });
});
