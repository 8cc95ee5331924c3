import type Database from 'better-sqlite3';
import type { Db } from './open';

declare const openTransaction: unique symbol;

/**
 * The database handle while a transaction is open on it. Writes that must commit or roll back
 * with the caller's own rows (an outbox row beside the row it announces) take a `Tx`, so a
 * call made outside a transaction does not typecheck, and `txOf` refuses one at run time.
 */
export type Tx = Db & { readonly [openTransaction]: true };

export class NotInTransactionError extends Error {
  constructor(what: string) {
    super(`${what} must be called inside a database transaction, so that it commits or rolls back with the caller's own writes.`);
    this.name = 'NotInTransactionError';
  }
}

/** The handle as a `Tx`, for code already running inside `db.transaction(...)`. */
export function txOf(db: Db, what = 'This write'): Tx {
  if (!db.inTransaction) throw new NotInTransactionError(what);
  return db as Tx;
}

/** `db.transaction(fn)` that hands `fn` the handle as a `Tx`. */
export function transaction<A extends unknown[], R>(db: Db, fn: (tx: Tx, ...args: A) => R): Database.Transaction<(...args: A) => R> {
  return db.transaction((...args: A) => fn(db as Tx, ...args));
}
