import { z } from 'zod';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import { SettingRow } from '../settings/row';
import type { KeychainState } from './index';

/**
 * The operator's "Got it" on the key-file notice, as a row of the settings table outside the
 * Settings schema (SettingsStore skips keys it does not know), so it needs no migration. It
 * names the state acknowledged: once the key is back in the keychain the row goes, and a later
 * fallback shows the notice again.
 */
const ROW = 'keychain.noticeAcknowledged';

export class KeychainNotice {
  private readonly row;

  constructor(db: Db, clock: Clock) {
    this.row = new SettingRow(db, ROW, z.string(), clock);
  }

  /** Whether the notice is due for this state; back in the keychain, the acknowledgement is spent. */
  due(state: KeychainState): boolean {
    const acknowledged = this.row.get() ?? null;
    if (state === 'keychain' && acknowledged !== null) this.row.clear();
    return state === 'key-file' && acknowledged !== 'key-file';
  }

  acknowledge(state: KeychainState): void {
    if (state !== 'key-file') return;
    this.row.set(state);
  }
}
