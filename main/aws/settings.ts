import { randomUUID } from 'node:crypto';
import { DEFAULT_TEAM_AWS_SETTINGS, type TeamAwsSettings, teamAwsSettingsSchema } from '../../shared/aws';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';

/** Rows of the live file's `settings` table: a new setting there needs no migration. */
const KEY = 'aws.team';
const SEAT_KEY = 'aws.seat';

/** The team layer's non-secret settings, and this seat's id. The AWS keys are in the SecretStore. */
export class TeamAwsStore {
  private readonly read;
  private readonly write;
  private readonly insertOnce;
  private cache: TeamAwsSettings | null = null;
  private seat: string | null = null;

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
    this.insertOnce = db.prepare<[string, string, number]>('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING');
  }

  get(): TeamAwsSettings {
    if (this.cache) return this.cache;
    const row = this.read.get(KEY);
    let settings = structuredClone(DEFAULT_TEAM_AWS_SETTINGS);
    if (row) {
      const parsed = teamAwsSettingsSchema.safeParse(JSON.parse(row.value));
      if (parsed.success) settings = parsed.data;
      else this.logger.warn('aws: stored team settings no longer valid, using defaults', { key: KEY });
    }
    this.cache = settings;
    return settings;
  }

  set(next: TeamAwsSettings): TeamAwsSettings {
    const parsed = teamAwsSettingsSchema.parse(next);
    this.write.run(KEY, JSON.stringify(parsed), this.clock.now());
    this.cache = parsed;
    return parsed;
  }

  /**
   * This seat's id, minted once per data folder and kept: every item the seat writes to the team
   * tables carries it, so two seats never write the same aggregate item.
   */
  seatId(): string {
    if (this.seat) return this.seat;
    this.insertOnce.run(SEAT_KEY, JSON.stringify(randomUUID()), this.clock.now());
    this.seat = JSON.parse(this.read.get(SEAT_KEY)!.value) as string;
    return this.seat;
  }
}
