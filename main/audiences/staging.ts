/**
 * Where an import's fans wait until the whole source has been read. Rows go into a TEMP table
 * chunk by chunk (small transactions between which the event loop runs), so a 50 MB file never
 * sits in memory as objects; the commit is then one transaction, `INSERT … SELECT … ON
 * CONFLICT`, so the account's fans change all at once or not at all. The connection is shared,
 * which is why nothing is held open across an await: a transaction spanning one would swallow
 * other handlers' writes.
 */
import type { FanColumn, FanSource } from '../../shared/audiences';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { ParsedFan } from './columns';

let serial = 0;

/** Which fields a re-import overwrites: a file without a tags column keeps the fans' tags. */
export type Fields = ReadonlySet<FanColumn>;

const FIELD_SQL: ReadonlyArray<[FanColumn, string]> = [
  ['name', 'name = excluded.name'],
  ['displayName', 'display_name = excluded.display_name'],
  ['totalSpend', 'total_spend_micros = excluded.total_spend_micros'],
  ['subscribedAt', 'subscribed_at = excluded.subscribed_at'],
  ['expiresAt', 'expires_at = excluded.expires_at'],
];

export class Staging {
  private readonly table = `fan_import_${process.pid}_${++serial}`;
  private readonly insert;
  private readonly insertMany;
  private dropped = false;

  constructor(private readonly db: Db) {
    db.exec(`CREATE TEMP TABLE ${this.table} (
      fan_id TEXT PRIMARY KEY, name TEXT, display_name TEXT, total_spend_micros INTEGER NOT NULL,
      subscribed_at INTEGER, expires_at INTEGER, tags TEXT NOT NULL
    )`);
    this.insert = db.prepare(`INSERT OR IGNORE INTO temp.${this.table} VALUES (?, ?, ?, ?, ?, ?, ?)`);
    // One chunk in one transaction; returns the fans whose id was already staged (a duplicate line).
    this.insertMany = db.transaction((fans: readonly ParsedFan[]) => {
      const duplicates: number[] = [];
      fans.forEach((f, i) => {
        const r = this.insert.run(f.fanId, f.name, f.displayName, f.totalSpendMicros, f.subscribedAt, f.expiresAt, JSON.stringify(f.tags));
        if (r.changes === 0) duplicates.push(i);
      });
      return duplicates;
    });
  }

  /** Indexes (into `fans`) of those already staged: the first occurrence of a fan id wins. */
  add(fans: readonly ParsedFan[]): number[] {
    return fans.length === 0 ? [] : this.insertMany(fans);
  }

  /** Writes every staged fan into the account in one transaction; counts new and updated fans. */
  commit(accountId: string, source: FanSource, fields: Fields, clock: Pick<Clock, 'now'>): { imported: number; updated: number } {
    const now = clock.now();
    const t = `temp.${this.table}`;
    const sets = FIELD_SQL.filter(([f]) => fields.has(f)).map(([, sql]) => sql);
    sets.push('source = excluded.source', 'updated_at = excluded.updated_at');
    const run = this.db.transaction(() => {
      const total = this.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
      const updated = this.db
        .prepare(`SELECT count(*) FROM ${t} s JOIN fans f ON f.account_id = ? AND f.fan_id = s.fan_id`)
        .pluck()
        .get(accountId) as number;
      // `WHERE true` lets SQLite parse ON CONFLICT after a SELECT (its documented ambiguity).
      this.db
        .prepare(
          `INSERT INTO fans (account_id, fan_id, name, display_name, total_spend_micros, subscribed_at, expires_at, source, created_at, updated_at)
           SELECT ?, fan_id, name, display_name, total_spend_micros, subscribed_at, expires_at, ?, ?, ? FROM ${t} WHERE true
           ON CONFLICT (account_id, fan_id) DO UPDATE SET ${sets.join(', ')}`,
        )
        .run(accountId, source, now, now);
      if (fields.has('tags')) {
        this.db.prepare(`DELETE FROM fan_tags WHERE account_id = ? AND fan_id IN (SELECT fan_id FROM ${t})`).run(accountId);
        this.db
          .prepare(`INSERT OR IGNORE INTO fan_tags (account_id, fan_id, tag) SELECT ?, s.fan_id, j.value FROM ${t} s, json_each(s.tags) j`)
          .run(accountId);
      }
      return { imported: total - updated, updated };
    });
    return run();
  }

  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    if (this.db.open) this.db.exec(`DROP TABLE IF EXISTS temp.${this.table}`);
  }
}
