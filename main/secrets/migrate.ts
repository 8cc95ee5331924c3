import { z } from 'zod';
import type { Db } from '../db/open';
import type { Logger } from '../ports/logger';
import { type DataKey, isCurrentFormat, isLegacyFormat, keyIdOf, seal, unseal } from './format';
import { removeKeyFile } from './key-file';
import { readLegacyFile, removeLegacyFile } from './legacy/encrypted-file';
import type { LegacyKeytar } from './legacy/keytar';
import { type LegacySafeStorageDecryptor, legacySafeStorageReplySchema } from './legacy/safe-storage';
import type { SecretRows } from './store';
import { assertSecretName, assertSecretValue, SecretStoreError } from './types';

export interface MigrationContext {
  db: Db;
  rows: SecretRows;
  key: DataKey;
  dataDir: string;
  logger: Logger;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function isValid(name: string, value: string): boolean {
  try {
    assertSecretName(name);
    assertSecretValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Brings in a value from an earlier store unless this store already holds the name: a row in
 * the current format was written after the upgrade, so it is the newer truth. A row still in
 * safeStorage form is replaced: this host can read its own copy, not that one.
 */
function fill(ctx: MigrationContext, name: string, value: string, source: string): 'imported' | 'kept' {
  return ctx.db.transaction(() => {
    const current = ctx.rows.get(name);
    if (current && isCurrentFormat(current)) return 'kept';
    if (current) ctx.logger.warn('secrets: a migrated copy replaced one the desktop app had not handed over', { name, source });
    ctx.rows.put(name, seal(ctx.key, name, value));
    return 'imported';
  })();
}

/** Rows sealed while the keychain did not answer move under the keychain's key; then the file goes. */
export async function retireKeyFile(ctx: MigrationContext, retired: DataKey | SecretStoreError): Promise<void> {
  if (retired instanceof SecretStoreError) {
    ctx.logger.warn('secrets: the key file from a time without keychain was left in place', { reason: retired.message });
    return;
  }
  const damaged: string[] = [];
  const moved = ctx.db.transaction(() => {
    let count = 0;
    for (const { name, ciphertext } of ctx.rows.all()) {
      if (!keyIdOf(ciphertext)?.equals(retired.id)) continue;
      try {
        ctx.rows.replace(name, ciphertext, seal(ctx.key, name, unseal(retired, name, ciphertext)));
        count++;
      } catch {
        damaged.push(name);
      }
    }
    return count;
  })();
  if (damaged.length) ctx.logger.warn('secrets: damaged secrets under the key file could not be moved to the keychain', { names: damaged });
  await removeKeyFile(ctx.dataDir);
  ctx.logger.info('secrets: the data key now lives in the OS keychain; the key file was removed', { moved });
}

export async function migrateSafeStorage(ctx: MigrationContext, decrypt: LegacySafeStorageDecryptor): Promise<void> {
  const legacy = new Map(ctx.rows.all().filter((row) => isLegacyFormat(row.ciphertext)).map((row) => [row.name, row.ciphertext]));
  if (legacy.size === 0) return;
  let reply;
  try {
    reply = legacySafeStorageReplySchema.parse(await decrypt([...legacy].map(([name, ciphertext]) => ({ name, ciphertext }))));
    const stray = reply.find((r) => !legacy.has(r.name));
    if (stray) throw new Error(`the reply names a row that was not asked for ("${stray.name.slice(0, 100)}")`);
  } catch (err) {
    // A zod error could echo values: only say that the reply was malformed.
    const reason = err instanceof z.ZodError ? 'malformed reply' : message(err);
    ctx.logger.warn('secrets: the desktop app could not hand over its earlier secrets; they were left as they were', { names: [...legacy.keys()], reason });
    return;
  }
  const undecrypted = new Set(legacy.keys());
  for (const { name, value } of reply) {
    if (value === null || !isValid(name, value)) continue;
    ctx.rows.replace(name, legacy.get(name)!, seal(ctx.key, name, value));
    undecrypted.delete(name);
  }
  if (undecrypted.size) {
    ctx.logger.warn('secrets: some secrets of the desktop app could not be decrypted; they were left as they were', { names: [...undecrypted] });
  }
}

export async function migrateKeytar(ctx: MigrationContext, load: () => Promise<LegacyKeytar | null>, service: string): Promise<void> {
  let credentials: Array<{ account: string; password: string }>;
  let keytar: LegacyKeytar | null;
  try {
    keytar = await load();
    if (!keytar) return;
    credentials = await keytar.findCredentials(service);
  } catch (err) {
    ctx.logger.warn('secrets: keychain entries of the earlier browser-host store could not be read; they were left in place', { service, reason: message(err) });
    return;
  }
  for (const { account, password } of credentials) {
    // Skips entries that are not secrets, such as the probe the former store wrote and deleted.
    if (!isValid(account, password)) continue;
    fill(ctx, account, password, 'keytar');
    try {
      await keytar.deletePassword(service, account);
    } catch (err) {
      ctx.logger.warn('secrets: a migrated keychain entry could not be removed', { service, name: account, reason: message(err) });
    }
  }
}

export async function migrateLegacyFile(ctx: MigrationContext): Promise<void> {
  const legacy = await readLegacyFile(ctx.dataDir);
  if (legacy.state === 'absent') return;
  if (legacy.state === 'unreadable') {
    ctx.logger.warn('secrets: the earlier encrypted secrets file cannot be read; it was left untouched', { dataDir: ctx.dataDir, reason: legacy.reason });
    return;
  }
  for (const [name, value] of legacy.entries) fill(ctx, name, value, 'encrypted-file');
  await removeLegacyFile(ctx.dataDir);
}

/** Names only: the operator learns which keys to enter again, and why. */
export function reportUnreadable(rows: SecretRows, key: DataKey, logger: Logger): void {
  const legacy: string[] = [];
  const foreign: string[] = [];
  for (const { name, ciphertext } of rows.all()) {
    if (isLegacyFormat(ciphertext)) legacy.push(name);
    else if (isCurrentFormat(ciphertext) && !keyIdOf(ciphertext)?.equals(key.id)) foreign.push(name);
  }
  if (legacy.length) logger.warn("secrets: some secrets are still in the desktop app's earlier format; start the desktop app once, or enter them again", { names: legacy });
  if (foreign.length) {
    // Either the keychain holds the key but did not answer this time (they come back when it does),
    // or its entry was replaced (they must be entered again).
    logger.warn('secrets: some secrets were encrypted under another data key and read as not set', { names: foreign });
  }
}
