import type { Persona, PersonaWithTime } from '../../shared/campaigns';
import { AppError } from '../../shared/result';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';

interface Row {
  persona: string;
  voice: string;
  updated_at: number;
}

/**
 * Each creator account's persona and voice, read by the generator's cached prompt prefix. Its
 * own table keyed by account (and removed with it), so the accounts table stays as issue 9 left it.
 */
export class Personas {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** An account with no persona yet answers empty texts, so the composer has something to edit. */
  get(accountId: string): PersonaWithTime {
    this.requireAccount(accountId);
    const row = this.db.prepare<[string], Row>('SELECT persona, voice, updated_at FROM account_personas WHERE account_id = ?').get(accountId);
    return { accountId, persona: row?.persona ?? '', voice: row?.voice ?? '', updatedAt: row?.updated_at ?? null };
  }

  set(input: Persona): PersonaWithTime {
    this.requireAccount(input.accountId);
    this.db
      .prepare(
        `INSERT INTO account_personas (account_id, persona, voice, updated_at) VALUES (@accountId, @persona, @voice, @now)
         ON CONFLICT (account_id) DO UPDATE SET persona = excluded.persona, voice = excluded.voice, updated_at = excluded.updated_at`,
      )
      .run({ ...input, now: this.clock.now() });
    return this.get(input.accountId);
  }

  private requireAccount(id: string): void {
    if (!this.db.prepare('SELECT 1 FROM accounts WHERE id = ?').get(id)) throw new AppError('not_found', 'account_not_found', { id });
  }
}
