import type Database from 'better-sqlite3';

export interface Migration {
  /** Equals its position in the list, starting at 1; becomes `PRAGMA user_version`. */
  version: number;
  name: string;
  /** SQL, or a function for data moves that SQL alone can't express. */
  up: string | ((db: Database.Database) => void);
}
