import { join } from 'node:path';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { DemoMarker } from '../../../main/demo/marker';
import { type Db, openDatabase } from '../../../main/db/open';
import { manualClock } from '../../../main/ports/clock';
import { KeychainNotice } from '../../../main/secrets/notice';
import { SettingRow } from '../../../main/settings/row';
import { useTempDirs } from '../../support/tmp';

/** A state row in a real profile file (whose CHECK keeps every value JSON): a foreign value reads as absent; clear removes it. */
describe('one JSON row of the settings table', () => {
  const tempDir = useTempDirs();
  const opened: Db[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });
  const open = () => {
    const db = openDatabase(join(tempDir(), 'h.db'));
    opened.push(db);
    return db;
  };
  const raw = (db: Db, key: string, value: string) =>
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);

  it('reads a value that fails its schema as absent and says so, and clear removes the row', () => {
    const db = open();
    let invalid = 0;
    const row = new SettingRow(db, 'test.row', z.number(), manualClock(), () => invalid++);
    raw(db, 'test.row', '"seven"');
    expect(row.get()).toBeUndefined();
    expect(invalid).toBe(1);
    expect(row.set(7)).toBe(7);
    expect(row.get()).toBe(7);
    row.clear();
    expect(db.prepare('SELECT count(*) AS n FROM settings WHERE key = ?').get('test.row')).toEqual({ n: 0 });
    expect(row.get()).toBeUndefined();
  });

  it('keeps the key-file acknowledgement until the key is back in the keychain, and reads a foreign value as none', () => {
    const db = open();
    const notice = new KeychainNotice(db, manualClock());
    expect(notice.due('key-file')).toBe(true);
    notice.acknowledge('key-file');
    expect(notice.due('key-file')).toBe(false);
    expect(notice.due('keychain')).toBe(false);
    expect(notice.due('key-file')).toBe(true);
    raw(db, 'keychain.noticeAcknowledged', '42');
    expect(notice.due('key-file')).toBe(true);
  });

  it('remembers when the demo was seeded, and reads a foreign value as never', () => {
    const db = open();
    const clock = manualClock(Date.UTC(2026, 10, 27));
    const marker = new DemoMarker(db, clock);
    expect(marker.seededAt()).toBeNull();
    expect(marker.markSeeded()).toBe(Date.UTC(2026, 10, 27));
    expect(marker.seededAt()).toBe(Date.UTC(2026, 10, 27));
    raw(db, 'demo.seededAt', '"yesterday"');
    expect(marker.seededAt()).toBeNull();
  });
});
