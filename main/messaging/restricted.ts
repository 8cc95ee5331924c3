import { type CheckResult, checkText, DEFAULT_RESTRICTED_WORDS, type RestrictedList } from '../../shared/restricted';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';

/**
 * The agency's restricted words (one profile's `restricted_words` table) plus the built-in
 * defaults. The send path calls `checkText` on every outgoing text before anything leaves.
 */
export class RestrictedWords {
  private words: string[];

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.words = this.read();
  }

  get(): RestrictedList {
    return { words: [...this.words], defaults: [...DEFAULT_RESTRICTED_WORDS] };
  }

  /** Replaces the agency list; words arrive normalized by the contract, duplicates collapse. */
  set(words: readonly string[]): RestrictedList {
    const unique = [...new Set(words)].sort();
    const now = this.clock.now();
    const insert = this.db.prepare<[string, number]>('INSERT INTO restricted_words (word, created_at) VALUES (?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM restricted_words').run();
      for (const word of unique) insert.run(word, now);
    })();
    this.words = unique;
    return this.get();
  }

  checkText(text: string): CheckResult {
    return checkText(text, [...DEFAULT_RESTRICTED_WORDS, ...this.words]);
  }

  private read(): string[] {
    return this.db.prepare<[], string>('SELECT word FROM restricted_words ORDER BY word').pluck().all();
  }
}
