import type { z } from 'zod';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';

/**
 * One JSON value under its own key of a profile file's `settings` table, so a capability keeps a
 * small state without a migration. It is checked on the way back: a value an older or newer build
 * wrote that no longer parses reads as absent, and `onInvalid` is told (to log it).
 */
export class SettingRow<T> {
  private readonly select;
  private readonly upsert;
  private readonly insertOnce;
  private readonly remove;

  constructor(
    db: Db,
    readonly key: string,
    private readonly schema: z.ZodType<T>,
    private readonly clock: Clock,
    private readonly onInvalid: () => void = () => undefined,
  ) {
    this.select = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.insertOnce = db.prepare<[string, string, number]>('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING');
    this.remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  }

  get(): T | undefined {
    const raw = this.select.get(this.key);
    if (raw === undefined) return undefined;
    const parsed = this.schema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
    this.onInvalid();
    return undefined;
  }

  set(value: T): T {
    const parsed = this.schema.parse(value);
    this.upsert.run(this.key, JSON.stringify(parsed), this.clock.now());
    return parsed;
  }

  clear(): void {
    this.remove.run(this.key);
  }

  /** Keeps the value already there, if any (a second writer, another process); returns what is kept. */
  setOnce(value: T): T {
    this.insertOnce.run(this.key, JSON.stringify(this.schema.parse(value)), this.clock.now());
    return this.get() ?? value;
  }
}
