import { type AlertChannelSettings, alertChannelSettingsSchema, DEFAULT_ALERT_CHANNEL_SETTINGS } from '../../shared/alerts';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { SettingRow } from '../settings/row';

const KEY = 'alerts.channels';

/** The channels' non-secret settings. Secrets (AWS keys, the webhook) are in the SecretStore. */
export class ChannelSettingsStore {
  private readonly row: SettingRow<AlertChannelSettings>;
  private cache: AlertChannelSettings | null = null;

  constructor(db: Db, clock: Clock, logger: Logger) {
    this.row = new SettingRow(db, KEY, alertChannelSettingsSchema, clock, () => logger.warn('alerts: stored channel settings no longer valid, using defaults', { key: KEY }));
  }

  get(): AlertChannelSettings {
    this.cache ??= this.row.get() ?? structuredClone(DEFAULT_ALERT_CHANNEL_SETTINGS);
    return this.cache;
  }

  set(next: AlertChannelSettings): AlertChannelSettings {
    this.cache = this.row.set(next);
    return this.cache;
  }
}
