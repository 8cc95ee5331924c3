import { type AlertChannelSettings, alertChannelSettingsSchema, DEFAULT_ALERT_CHANNEL_SETTINGS } from '../../shared/alerts';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';

/** One row of the live file's `settings` table: a new setting there needs no migration. */
const KEY = 'alerts.channels';

/** The channels' non-secret settings. Secrets (AWS keys, the webhook) are in the SecretStore. */
export class ChannelSettingsStore {
  private readonly read;
  private readonly write;
  private cache: AlertChannelSettings | null = null;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.write = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  get(): AlertChannelSettings {
    if (this.cache) return this.cache;
    const row = this.read.get(KEY);
    let settings = structuredClone(DEFAULT_ALERT_CHANNEL_SETTINGS);
    if (row) {
      const parsed = alertChannelSettingsSchema.safeParse(JSON.parse(row.value));
      if (parsed.success) settings = parsed.data;
      else this.logger.warn('alerts: stored channel settings no longer valid, using defaults', { key: KEY });
    }
    this.cache = settings;
    return settings;
  }

  set(next: AlertChannelSettings): AlertChannelSettings {
    const parsed = alertChannelSettingsSchema.parse(next);
    this.write.run(KEY, JSON.stringify(parsed), this.clock.now());
    this.cache = parsed;
    return parsed;
  }
}
