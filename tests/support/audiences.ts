import { join } from 'node:path';
import { Audiences } from '../../main/audiences';
import { type Db, openDatabase } from '../../main/db/open';
import { Accounts } from '../../main/messaging/accounts';
import { manualClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import type { Account } from '../../shared/accounts';

export interface FanRecord {
  fan_id: string;
  name: string | null;
  display_name: string | null;
  total_spend_micros: number;
  subscribed_at: number | null;
  expires_at: number | null;
  source: string;
  tags: string | null;
}

export interface AudienceStack {
  db: Db;
  clock: ReturnType<typeof manualClock>;
  accounts: Accounts;
  account: Account;
  audiences: Audiences;
  fans(accountId?: string): FanRecord[];
  create(platformAccountId: string): Promise<Account>;
  close(): void;
}

/** A real SQLite file with one sandbox creator account, and the audiences over it. */
export async function audienceStack(dir: string, now = Date.UTC(2026, 5, 1)): Promise<AudienceStack> {
  const clock = manualClock(now);
  const db: Db = openDatabase(join(dir, 'aud.db'));
  const accounts = new Accounts({ db, clock, logger: silentLogger, secrets: null, defaultTransport: 'sandbox' });
  const create = (platformAccountId: string) =>
    accounts.create({ name: platformAccountId, platformAccountId, transport: 'sandbox', limits: { perMinute: 10, minSpacingSeconds: 3, burst: 1 }, colour: 'sky' });
  const account = await create('mia');
  const audiences = new Audiences(db, clock);
  /** Every fan of the account, by fan id, tags sorted and joined with `|`. */
  const fans = (accountId = account.id) =>
    db
      .prepare(
        `SELECT f.fan_id, f.name, f.display_name, f.total_spend_micros, f.subscribed_at, f.expires_at, f.source,
           (SELECT group_concat(tag, '|') FROM (SELECT tag FROM fan_tags t WHERE t.account_id = f.account_id AND t.fan_id = f.fan_id ORDER BY tag)) AS tags
         FROM fans f WHERE account_id = ? ORDER BY fan_id`,
      )
      .all(accountId) as FanRecord[];
  return { db, clock, accounts, account, audiences, fans, create, close: () => db.close() };
}
