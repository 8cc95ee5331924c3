import { v7 as uuidv7 } from 'uuid';
import {
  type Account,
  type AccountLimits,
  type accountCreateSchema,
  type accountUpdateSchema,
  type AccountColour,
  type TransportKind,
} from '../../shared/accounts';
import { AppError, type Issue } from '../../shared/result';
import type { z } from 'zod';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { SecretStore } from '../secrets';

/** Per account, so removing an account removes exactly its key; ids are UUIDs, valid secret names. */
export const accountSecretName = (id: string) => `account.${id}.apiKey`;

type CreateInput = z.output<typeof accountCreateSchema>;
type UpdateInput = z.output<typeof accountUpdateSchema>;

interface Row {
  id: string;
  name: string;
  platform_account_id: string;
  transport: TransportKind;
  base_url: string | null;
  per_minute: number;
  min_spacing_s: number;
  burst: number;
  colour: AccountColour;
  initial: string | null;
  created_at: number;
  updated_at: number;
}

export interface AccountsOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** The live profile's SecretStore; null in the Sandbox, whose accounts hold no real keys. */
  secrets: SecretStore | null;
  /** What an account sends through when the form leaves it unset. */
  defaultTransport: TransportKind;
}

const duplicate = (): AppError =>
  new AppError('invalid_input', 'invalid_input', {}, [{ path: ['platformAccountId'], code: 'custom', params: { rule: 'duplicate' } } satisfies Issue]);

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/** Creator accounts of one profile's database, with their transport keys behind the SecretStore. */
export class Accounts {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly secrets: SecretStore | null;
  private readonly defaultTransport: TransportKind;

  constructor(options: AccountsOptions) {
    ({ db: this.db, clock: this.clock, logger: this.logger, secrets: this.secrets, defaultTransport: this.defaultTransport } = options);
  }

  async list(): Promise<Account[]> {
    const rows = this.db.prepare<[], Row>('SELECT * FROM accounts ORDER BY name COLLATE NOCASE, id').all();
    return Promise.all(rows.map((row) => this.toAccount(row)));
  }

  /** One account, for the send path (which reads the key through `apiKey`). */
  async get(id: string): Promise<Account> {
    return this.toAccount(this.row(id));
  }

  /** The HTTP transport's key, for the transport only: never part of a reply. */
  async apiKey(id: string): Promise<string | undefined> {
    this.row(id);
    return this.secrets ? this.secrets.get(accountSecretName(id)) : undefined;
  }

  async create(input: CreateInput): Promise<Account> {
    this.refuseKeyInSandbox(input.apiKey);
    this.refuseDuplicate(input.platformAccountId, null);
    const id = uuidv7({ msecs: this.clock.now() });
    // The key first: a row whose key failed to store would claim an HTTP transport it cannot use.
    if (input.apiKey !== undefined) await this.secrets!.set(accountSecretName(id), input.apiKey);
    const now = this.clock.now();
    try {
      this.db
        .prepare(
          `INSERT INTO accounts (id, name, platform_account_id, transport, base_url, per_minute, min_spacing_s, burst, colour, initial, created_at, updated_at)
           VALUES (@id, @name, @platform_account_id, @transport, @base_url, @per_minute, @min_spacing_s, @burst, @colour, @initial, @created_at, @updated_at)`,
        )
        .run(this.toRow(id, input, now, now));
    } catch (err) {
      if (input.apiKey !== undefined) await this.secrets!.delete(accountSecretName(id));
      // Another create for the same platform id won the race while the key was being sealed.
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
    this.logger.info('accounts: created', { id, transport: input.transport ?? this.defaultTransport });
    return this.get(id);
  }

  async update(input: UpdateInput): Promise<Account> {
    const before = this.row(input.id);
    this.refuseKeyInSandbox(input.apiKey ?? undefined);
    this.refuseDuplicate(input.platformAccountId, input.id);
    if (input.apiKey === null) await this.secrets?.delete(accountSecretName(input.id));
    else if (input.apiKey !== undefined) await this.secrets!.set(accountSecretName(input.id), input.apiKey);
    try {
      this.db
        .prepare(
          `UPDATE accounts SET name = @name, platform_account_id = @platform_account_id, transport = @transport, base_url = @base_url,
             per_minute = @per_minute, min_spacing_s = @min_spacing_s, burst = @burst, colour = @colour, initial = @initial, updated_at = @updated_at
           WHERE id = @id`,
        )
        .run(this.toRow(input.id, input, before.created_at, this.clock.now()));
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
    this.logger.info('accounts: updated', { id: input.id });
    return this.get(input.id);
  }

  async remove(id: string): Promise<{ id: string }> {
    this.row(id);
    this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id);
    await this.secrets?.delete(accountSecretName(id));
    this.logger.info('accounts: removed', { id });
    return { id };
  }

  private row(id: string): Row {
    const row = this.db.prepare<[string], Row>('SELECT * FROM accounts WHERE id = ?').get(id);
    if (!row) throw new AppError('not_found', 'account_not_found', { id });
    return row;
  }

  private refuseKeyInSandbox(apiKey: string | undefined): void {
    if (apiKey !== undefined && !this.secrets) throw new AppError('conflict', 'sandbox_keys');
  }

  private refuseDuplicate(platformAccountId: string, self: string | null): void {
    const other = this.db.prepare<[string], { id: string }>('SELECT id FROM accounts WHERE platform_account_id = ?').get(platformAccountId);
    if (other && other.id !== self) throw duplicate();
  }

  private toRow(id: string, input: CreateInput | UpdateInput, createdAt: number, updatedAt: number): Row {
    const limits: AccountLimits = input.limits;
    return {
      id,
      name: input.name,
      platform_account_id: input.platformAccountId,
      transport: input.transport ?? this.defaultTransport,
      base_url: input.baseUrl ? input.baseUrl : null,
      per_minute: limits.perMinute,
      min_spacing_s: limits.minSpacingSeconds,
      burst: limits.burst,
      colour: input.colour,
      initial: input.initial ?? null,
      created_at: createdAt,
      updated_at: updatedAt,
    };
  }

  private async toAccount(row: Row): Promise<Account> {
    let apiKeySet = false;
    if (this.secrets) {
      try {
        apiKeySet = await this.secrets.has(accountSecretName(row.id));
      } catch {
        // A key that no longer decrypts shows as "not set", so the operator can enter it again.
        apiKeySet = false;
      }
    }
    return {
      id: row.id,
      name: row.name,
      platformAccountId: row.platform_account_id,
      transport: row.transport,
      baseUrl: row.base_url,
      limits: { perMinute: row.per_minute, minSpacingSeconds: row.min_spacing_s, burst: row.burst },
      colour: row.colour,
      initial: row.initial,
      apiKeySet,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
