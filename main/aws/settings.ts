import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_TEAM_AWS_SETTINGS, type TeamAwsSettings, teamAwsSettingsSchema } from '../../shared/aws';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { SettingRow } from '../settings/row';

/** The team layer's non-secret settings, and this seat's id. The AWS keys are in the SecretStore. */
export class TeamAwsStore {
  private readonly row: SettingRow<TeamAwsSettings>;
  private readonly seat: SettingRow<string>;
  private cache: TeamAwsSettings | null = null;
  private seatCache: string | null = null;

  constructor(db: Db, clock: Clock, logger: Logger) {
    this.row = new SettingRow(db, 'aws.team', teamAwsSettingsSchema, clock, () => logger.warn('aws: stored team settings no longer valid, using defaults', { key: 'aws.team' }));
    this.seat = new SettingRow(db, 'aws.seat', z.string().min(1), clock);
  }

  get(): TeamAwsSettings {
    this.cache ??= this.row.get() ?? structuredClone(DEFAULT_TEAM_AWS_SETTINGS);
    return this.cache;
  }

  set(next: TeamAwsSettings): TeamAwsSettings {
    this.cache = this.row.set(next);
    return this.cache;
  }

  /**
   * This seat's id, minted once per data folder and kept: every item the seat writes to the team
   * tables carries it, so two seats never write the same aggregate item.
   */
  seatId(): string {
    this.seatCache ??= this.seat.setOnce(randomUUID());
    return this.seatCache;
  }
}
