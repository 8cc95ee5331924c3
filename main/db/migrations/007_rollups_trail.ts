import type Database from 'better-sqlite3';
import type { Migration } from './types';

/**
 * The rollups trail the ledger: a cost row's commit no longer writes them, a fold does, over the
 * ai_costs `seq` range past `folded`, in larger and cheaper steps (main/costs/zone-rollups.ts).
 * Every row that exists now was rolled up in its own commit, so the watermark starts at the end.
 */
function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE cost_rollup_state ADD COLUMN folded INTEGER NOT NULL DEFAULT 0 CHECK (folded >= 0);
    UPDATE cost_rollup_state SET folded = (SELECT COALESCE(MAX(seq), 0) FROM ai_costs);
  `);
}

export const migration007: Migration = { version: 7, name: 'rollups_trail', up };
