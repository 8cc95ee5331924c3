import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findCredentials } from '@napi-rs/keyring';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../main/db/open';
import { keychainService } from '../../main/paths';
import { LEGACY_KEY_FILE, LEGACY_SECRETS_FILE, type LegacyKeytar, type LegacySafeStorageDecryptor } from '../../main/secrets';
import { canary, errorOf, filesUnder, keychainEntry, silentKeychain, useSecretStores, writeLegacySecretsFile } from '../support/secrets';

const MAGIC = Buffer.from('HZS\x01', 'latin1');
const rowOf = (db: Db, name: string) => db.prepare<[string], { ciphertext: Buffer }>('SELECT ciphertext FROM secrets WHERE name = ?').get(name)?.ciphertext;
const keytar = createRequire(import.meta.url)('keytar') as LegacyKeytar & { setPassword(s: string, a: string, p: string): Promise<void> };

describe('migrating the browser host\'s encrypted file', () => {
  const { tempDir, open, openWithKeychain } = useSecretStores();

  it('imports every entry, keeps a value set since the upgrade, then removes both files', async () => {
    const dataDir = tempDir();
    const first = await openWithKeychain(dataDir);
    const newer = canary();
    await first.store.set('provider.azure.apiKey', newer);
    first.db.close();
    const [openai, azureOld] = [canary(), canary()];
    writeLegacySecretsFile(dataDir, { 'provider.openai.apiKey': openai, 'provider.azure.apiKey': azureOld });

    const { store, db, lines } = await openWithKeychain(dataDir);
    expect(await store.get('provider.openai.apiKey')).toBe(openai);
    expect(await store.get('provider.azure.apiKey')).toBe(newer);
    expect(rowOf(db, 'provider.openai.apiKey')!.subarray(0, 4).equals(MAGIC)).toBe(true);
    expect(existsSync(join(dataDir, LEGACY_SECRETS_FILE))).toBe(false);
    expect(existsSync(join(dataDir, LEGACY_KEY_FILE))).toBe(false);
    expect(lines).toEqual([]);
    for (const [path, bytes] of filesUnder(dataDir)) {
      for (const value of [openai, azureOld, newer]) expect(bytes.includes(Buffer.from(value)), path).toBe(false);
    }
  });

  it('migrates into the key file too where no keychain answers', async () => {
    const dataDir = tempDir();
    const value = canary();
    writeLegacySecretsFile(dataDir, { 'provider.openai.apiKey': value });
    const { store } = await open(dataDir, { keychain: silentKeychain() });
    expect(store.kind).toBe('key-file');
    expect(await store.get('provider.openai.apiKey')).toBe(value);
    expect(existsSync(join(dataDir, LEGACY_SECRETS_FILE))).toBe(false);
  });

  it('leaves a damaged file or a missing key exactly as found, says why, and still opens', async () => {
    for (const damage of ['flip', 'no key'] as const) {
      const dataDir = tempDir();
      const value = canary();
      writeLegacySecretsFile(dataDir, { 'provider.openai.apiKey': value });
      const path = join(dataDir, LEGACY_SECRETS_FILE);
      if (damage === 'flip') {
        const text = readFileSync(path, 'utf8');
        const i = text.indexOf('"data": "') + 10;
        writeFileSync(path, text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1));
      } else {
        rmSync(join(dataDir, LEGACY_KEY_FILE));
      }
      const before = filesUnder(dataDir);
      const { store, lines } = await openWithKeychain(dataDir);
      expect(await store.has('provider.openai.apiKey')).toBe(false);
      expect(lines).toMatchObject([{ level: 'warn', fields: { dataDir } }]);
      expect(JSON.stringify(lines)).not.toContain(value);
      for (const [file, bytes] of before) expect(readFileSync(file).equals(bytes), `${damage}: ${file}`).toBe(true);
      await store.set('provider.azure.apiKey', canary());
    }
  });
});

describe("migrating the browser host's keytar entries", () => {
  const { tempDir, open, openWithKeychain } = useSecretStores();
  const services: string[] = [];
  afterEach(async () => {
    for (const service of services.splice(0)) {
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
    }
  });
  const seed = async (dataDir: string, entries: Record<string, string>) => {
    const service = keychainService(dataDir);
    services.push(service);
    for (const [account, password] of Object.entries(entries)) await keytar.setPassword(service, account, password);
    return service;
  };
  const loadReal = async () => keytar;

  it('imports each entry into the store and removes it from the keychain, leaving entries that are not secrets', async () => {
    const dataDir = tempDir();
    const [openai, azure] = [canary(), canary()];
    // '.probe' is what the former store wrote to test the keychain: not a secret, so not touched.
    const service = await seed(dataDir, { 'provider.openai.apiKey': openai, 'provider.azure.apiKey': azure, '.probe': 'probe' });

    const { store, lines } = await openWithKeychain(dataDir, { legacy: { keytar: loadReal } });
    expect(await store.get('provider.openai.apiKey')).toBe(openai);
    expect(await store.get('provider.azure.apiKey')).toBe(azure);
    expect(await keytar.findCredentials(service)).toEqual([{ account: '.probe', password: 'probe' }]);
    expect(Buffer.from(keychainEntry(dataDir).getPassword()!, 'base64')).toHaveLength(32);
    // The data key never sits in keytar's service: keytar's listing crashes on items it did not write.
    expect(findCredentials(service)).toEqual([]);
    expect(lines).toEqual([]);
    for (const [path, bytes] of filesUnder(dataDir)) expect(bytes.includes(Buffer.from(openai)), path).toBe(false);
  });

  it('loads keytar by itself when not told otherwise', async () => {
    const dataDir = tempDir();
    const value = canary();
    const service = await seed(dataDir, { 'provider.local.apiKey': value });
    const { store } = await openWithKeychain(dataDir, { legacy: { keytar: undefined } });
    expect(await store.get('provider.local.apiKey')).toBe(value);
    expect(await keytar.findCredentials(service)).toEqual([]);
  });

  it('leaves the entries in place when keytar is absent, fails, or the keychain does not answer', async () => {
    const cases: [string, Parameters<typeof openWithKeychain>[1], boolean][] = [
      ['absent', { legacy: { keytar: async () => null } }, false],
      ['failing', { legacy: { keytar: async () => ({ ...keytar, findCredentials: () => Promise.reject(new Error('keyring locked')) }) } }, true],
    ];
    for (const [label, options, warns] of cases) {
      const dataDir = tempDir();
      const service = await seed(dataDir, { 'provider.openai.apiKey': canary() });
      const { store, lines } = await openWithKeychain(dataDir, options);
      expect(await store.has('provider.openai.apiKey'), label).toBe(false);
      expect((await keytar.findCredentials(service)).map((c) => c.account), label).toEqual(['provider.openai.apiKey']);
      expect(lines.some((l) => l.level === 'warn' && String(l.fields?.reason).includes('keyring locked')), label).toBe(warns);
    }

    const dataDir = tempDir();
    const service = await seed(dataDir, { 'provider.openai.apiKey': canary() });
    let asked = false;
    const { store } = await open(dataDir, { keychain: silentKeychain(), legacy: { keytar: async () => ((asked = true), keytar) } });
    expect(store.kind).toBe('key-file');
    expect(asked).toBe(false);
    expect((await keytar.findCredentials(service)).length).toBe(1);
  });
});

describe("the desktop app's safeStorage hand-over", () => {
  const { tempDir, open, openDb, openWithKeychain } = useSecretStores();

  /** Rows as the former store left them: "v10" + opaque bytes that only the OS could decrypt. */
  function seedLegacyRows(dataDir: string, values: Record<string, string>) {
    const db = openDb(dataDir);
    const plaintexts = new Map<string, string>();
    for (const [name, value] of Object.entries(values)) {
      const ciphertext = Buffer.concat([Buffer.from('v10'), randomBytes(48)]);
      db.prepare('INSERT INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, 1)').run(name, ciphertext);
      plaintexts.set(ciphertext.toString('hex'), value);
    }
    db.close();
    return plaintexts;
  }
  /** Stands in for the shell's safeStorage: answers from what was seeded, null for anything else. */
  function shell(plaintexts: Map<string, string>, calls: string[][]): LegacySafeStorageDecryptor {
    return async (rows) => {
      calls.push(rows.map((r) => r.name));
      return rows.map(({ name, ciphertext }) => ({ name, value: plaintexts.get(Buffer.from(ciphertext).toString('hex')) ?? null }));
    };
  }

  it('re-seals every row the shell decrypts, asks once, and never again', async () => {
    const dataDir = tempDir();
    const [openai, azure] = [canary(), canary()];
    const plaintexts = seedLegacyRows(dataDir, { 'provider.openai.apiKey': openai, 'provider.azure.apiKey': azure });
    const calls: string[][] = [];

    const first = await openWithKeychain(dataDir, { legacy: { safeStorage: shell(plaintexts, calls) } });
    expect(calls).toEqual([['provider.azure.apiKey', 'provider.openai.apiKey']]);
    expect(await first.store.get('provider.openai.apiKey')).toBe(openai);
    expect(await first.store.get('provider.azure.apiKey')).toBe(azure);
    expect(rowOf(first.db, 'provider.azure.apiKey')!.subarray(0, 4).equals(MAGIC)).toBe(true);
    expect(first.lines).toEqual([]);
    first.db.close();

    const second = await openWithKeychain(dataDir, { legacy: { safeStorage: shell(plaintexts, calls) } });
    expect(calls).toHaveLength(1);
    expect(await second.store.get('provider.openai.apiKey')).toBe(openai);
  });

  it('leaves a row the shell cannot decrypt as it was: it reads as wrong_key and the warning names it', async () => {
    const dataDir = tempDir();
    const plaintexts = seedLegacyRows(dataDir, { 'provider.openai.apiKey': canary(), 'provider.azure.apiKey': canary() });
    const azureRow = [...plaintexts.keys()][1]!;
    plaintexts.delete(azureRow);
    const { store, db, lines } = await openWithKeychain(dataDir, { legacy: { safeStorage: shell(plaintexts, []) } });
    expect(rowOf(db, 'provider.azure.apiKey')!.toString('hex')).toBe(azureRow);
    expect((await errorOf(store.get('provider.azure.apiKey'))).code).toBe('wrong_key');
    expect(await store.has('provider.openai.apiKey')).toBe(true);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.fields?.names)).toContainEqual(['provider.azure.apiKey']);
  });

  it('refuses a malformed reply or one naming rows it was not asked about, changing nothing', async () => {
    // Each also carries a well-formed plaintext for the row asked about: none of it may be applied.
    const asked = { name: 'provider.openai.apiKey', value: 'sk-well-formed' };
    const replies: unknown[] = [[asked, { name: 'provider.openai.apiKey', value: 42 }], [asked, { name: 'provider.other.apiKey', value: 'sk-x' }], 'nope'];
    for (const reply of replies) {
      const dataDir = tempDir();
      const secret = canary();
      seedLegacyRows(dataDir, { 'provider.openai.apiKey': secret });
      const before = openDb(dataDir).prepare('SELECT * FROM secrets').all();
      const { db, lines } = await openWithKeychain(dataDir, { legacy: { safeStorage: (async () => reply) as unknown as LegacySafeStorageDecryptor } });
      expect(db.prepare('SELECT * FROM secrets').all()).toEqual(before);
      expect(lines[0]).toMatchObject({ level: 'warn', fields: { names: ['provider.openai.apiKey'] } });
      expect(JSON.stringify(lines)).not.toContain(secret);
    }
  });

  it('without a shell (the browser host) the rows wait, named in a warning; a copy this host can read replaces one', async () => {
    const dataDir = tempDir();
    const plaintexts = seedLegacyRows(dataDir, { 'provider.openai.apiKey': canary(), 'provider.azure.apiKey': canary() });
    const fromFile = canary();
    writeLegacySecretsFile(dataDir, { 'provider.azure.apiKey': fromFile });
    const { store, db, lines } = await open(dataDir, { keychain: silentKeychain() });
    expect(await store.get('provider.azure.apiKey')).toBe(fromFile);
    expect((await errorOf(store.get('provider.openai.apiKey'))).code).toBe('wrong_key');
    expect(rowOf(db, 'provider.openai.apiKey')!.toString('hex')).toBe([...plaintexts.keys()][0]);
    expect(lines.map((l) => l.fields?.names ?? l.fields?.name)).toEqual(expect.arrayContaining(['provider.azure.apiKey', ['provider.openai.apiKey']]));
  });
});
