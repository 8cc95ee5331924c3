import { migration001 } from './001_settings';
import type { Migration } from './types';

/** Append only: a shipped migration is never edited, a new one gets the next number. */
export const migrations: readonly Migration[] = [migration001];

export const LATEST_SCHEMA_VERSION = migrations.length;
export type { Migration };
