import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, type Migration, migrations as allMigrations } from './migrations';

export type Db = Database.Database;

export type DbOpenErrorCode = 'corrupt' | 'newer_version' | 'io';

/** Why the database could not be opened; the file is left exactly as it was found. */
export class DbOpenError extends Error {
  constructor(
    readonly code: DbOpenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DbOpenError';
  }
}

export interface OpenDbOptions {
  /** Path to a better-sqlite3 addon built for the running runtime (Electron has its own ABI). */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

/** Every core connection runs with these, in this order; exported so a benchmark baseline cannot drift from them. */
export const CORE_PRAGMAS: readonly string[] = [
  'journal_mode = WAL',
  // FULL: a confirmed cost row must survive power loss, not just a process crash.
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
];

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(SQLITE_HEADER.length);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Inspects an existing file without writing to it, so a corrupt file or one from a newer
 * app version is refused before WAL mode or a migration could touch it.
 */
function inspectExisting(path: string, latest: number, nativeBinding?: string): void {
  if (!SQLITE_HEADER.equals(readHeader(path))) {
    throw new DbOpenError('corrupt', `The database file ${path} is not a SQLite database or is damaged. It was left untouched; restore it from a backup or move it away to start fresh.`);
  }
  let ro: Db | undefined;
  try {
    ro = new Database(path, { readonly: true, fileMustExist: true, nativeBinding });
    ro.prepare('SELECT count(*) FROM sqlite_schema').get();
    const version = ro.pragma('user_version', { simple: true }) as number;
    if (version > latest) {
      throw new DbOpenError('newer_version', `The database file ${path} was written by a newer version of Huntaze (schema ${version}; this version knows up to ${latest}). Update Huntaze to open it. The file was left untouched.`);
    }
  } catch (err) {
    if (err instanceof DbOpenError) throw err;
    throw new DbOpenError('corrupt', `The database file ${path} is damaged (${(err as Error).message}). It was left untouched; restore it from a backup or move it away to start fresh.`);
  } finally {
    ro?.close();
  }
}

export function migrate(db: Db, migrations: readonly Migration[] = allMigrations): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const m of pending) {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
    }
    // user_version lives in the header page, so it commits or rolls back with the rest.
    db.pragma(`user_version = ${pending[pending.length - 1]!.version}`);
  })();
  return pending[pending.length - 1]!.version;
}

export function openDatabase(path: string, options: OpenDbOptions = {}): Db {
  const migrations = options.migrations ?? allMigrations;
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw new DbOpenError('io', `Cannot create the data folder for ${path}: ${(err as Error).message}`);
  }
  if (existsSync(path) && statSync(path).size > 0) inspectExisting(path, latest, options.nativeBinding);

  let db: Db;
  try {
    db = new Database(path, { nativeBinding: options.nativeBinding });
  } catch (err) {
    throw new DbOpenError('io', `Cannot open the database ${path}: ${(err as Error).message}`);
  }
  try {
    for (const pragma of CORE_PRAGMAS) db.pragma(pragma);
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export { LATEST_SCHEMA_VERSION };
