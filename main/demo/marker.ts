import { z } from 'zod';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';

/** A key of the live file's settings table that SettingsStore does not read (it keeps only its own keys). */
const KEY = 'demo.seededAt';

/**
 * Remembers, in the live file, that the demo was seeded: the Home page's "first run" is no
 * provider set up in live and no demo ever explored, and the Sandbox file may not be open.
 */
export class DemoMarker {
  private readonly read;
  private readonly write;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.read = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.write = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  seededAt(): number | null {
    const raw = this.read.get(KEY);
    const parsed = z.number().int().nonnegative().safeParse(raw === undefined ? null : JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  markSeeded(): number {
    const at = this.clock.now();
    this.write.run(KEY, JSON.stringify(at), at);
    return at;
  }
}
