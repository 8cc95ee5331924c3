import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { KeychainState } from './index';

/**
 * The operator's "Got it" on the key-file notice, as a row of the settings table outside the
 * Settings schema (SettingsStore skips keys it does not know), so it needs no migration. It
 * names the state acknowledged: once the key is back in the keychain the row goes, and a later
 * fallback shows the notice again.
 */
const ROW = 'keychain.noticeAcknowledged';

export class KeychainNotice {
  private readonly select;
  private readonly upsert;
  private readonly remove;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  }

  /** Whether the notice is due for this state; back in the keychain, the acknowledgement is spent. */
  due(state: KeychainState): boolean {
    const acknowledged = this.acknowledged();
    if (state === 'keychain' && acknowledged !== null) this.remove.run(ROW);
    return state === 'key-file' && acknowledged !== 'key-file';
  }

  acknowledge(state: KeychainState): void {
    if (state !== 'key-file') return;
    this.upsert.run(ROW, JSON.stringify(state), this.clock.now());
  }

  private acknowledged(): string | null {
    const row = this.select.get(ROW);
    if (!row) return null;
    try {
      const value: unknown = JSON.parse(row.value);
      return typeof value === 'string' ? value : null;
    } catch {
      return null;
    }
  }
}
