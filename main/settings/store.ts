import { DEFAULT_SETTINGS, type Settings, type SettingsPatch, settingsSchema } from '../../shared/settings';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';

type Key = keyof Settings;

/** Non-secret settings, one row per key so that adding a setting needs no migration. */
export class SettingsStore {
  private readonly selectAll;
  private readonly upsert;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.selectAll = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  get(): Settings {
    const settings: Settings = { ...DEFAULT_SETTINGS };
    const shape = settingsSchema.shape;
    for (const row of this.selectAll.all()) {
      if (!Object.hasOwn(shape, row.key)) continue;
      const key = row.key as Key;
      // A value an older or newer build wrote that no longer validates falls back to the default.
      const parsed = shape[key].safeParse(JSON.parse(row.value));
      if (parsed.success) (settings as Record<Key, unknown>)[key] = parsed.data;
      else this.logger.warn('settings: ignoring invalid stored value', { key });
    }
    return settings;
  }

  update(patch: SettingsPatch): Settings {
    const now = this.clock.now();
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) this.upsert.run(key, JSON.stringify(value), now);
      }
    })();
    return this.get();
  }
}
