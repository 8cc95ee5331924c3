import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/open';
import { RestrictedWords } from '../../../main/messaging/restricted';
import { manualClock } from '../../../main/ports/clock';
import { checkText, DEFAULT_RESTRICTED_WORDS, normalizeWord, restrictedSetSchema } from '../../../shared/restricted';
import { useTempDirs } from '../../support/tmp';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');
const word = fc.array(fc.constantFrom(...LETTERS), { minLength: 2, maxLength: 12 }).map((a) => a.join(''));
const filler = fc.array(fc.array(fc.constantFrom(...LETTERS, '1', '2'), { minLength: 1, maxLength: 8 }).map((a) => a.join('')), { maxLength: 6 }).map((ws) => ws.join(' '));
/** Accents stack on any letter as a combining mark: "á" written as "a" + U+0301. */
const MARKS = ['\u0301', '\u0300', '\u0308', '\u0327'];

/** The word as a smuggler writes it: random case, accents, and punctuation or spaces between letters. */
const disguised = (w: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: w.length, maxLength: w.length }),
      fc.array(fc.option(fc.constantFrom(...MARKS), { nil: '' }), { minLength: w.length, maxLength: w.length }),
      fc.array(fc.array(fc.constantFrom('.', '-', '_', '*', ' ', '\u200b'), { maxLength: 2 }).map((a) => a.join('')), { minLength: w.length, maxLength: w.length }),
    )
    .map(([upper, marks, gaps]) => [...w].map((c, i) => (upper[i] ? c.toUpperCase() : c) + marks[i] + (i < w.length - 1 ? gaps[i] : '')).join(''));

describe('checkText', () => {
  it('always catches a listed word in a text, however cased, accented or spaced out', () => {
    fc.assert(
      fc.property(
        word.chain((w) => fc.tuple(fc.constant(w), disguised(w), filler, filler, fc.constantFrom(' ', '! ', ', ', '\n'))),
        ([w, written, before, after, sep]) => {
          const prefix = before ? `${before}${sep}` : '';
          const text = `${prefix}${written}${sep}${after}`;
          const result = checkText(text, [w]);
          expect(result).toMatchObject({ ok: false, word: w });
          // Reported where the word starts, or earlier if the filler happened to spell it too.
          expect((result as { index: number }).index).toBeLessThanOrEqual(prefix.length);
        },
      ),
    );
  });

  it('never blocks a longer word that merely contains a listed one', () => {
    fc.assert(
      fc.property(word, word, word, fc.integer({ min: 0, max: 2 }), (w, pre, post, shape) => {
        const longer = shape === 0 ? `${pre}${w}` : shape === 1 ? `${w}${post}` : `${pre}${w}${post}`;
        expect(checkText(longer, [w])).toEqual({ ok: true });
        expect(checkText(`${longer.toUpperCase()}!`, [w])).toEqual({ ok: true });
      }),
    );
  });

  it('reads accents, case and punctuation as the examples an operator would try', () => {
    expect(checkText('Send it via PayPal.', DEFAULT_RESTRICTED_WORDS)).toEqual({ ok: false, word: 'paypal', index: 12 });
    expect(checkText('send to my p.a.y.p.a.l', DEFAULT_RESTRICTED_WORDS)).toMatchObject({ ok: false, word: 'paypal' });
    expect(checkText('pay pal me', DEFAULT_RESTRICTED_WORDS)).toMatchObject({ ok: false, word: 'paypal' });
    expect(checkText('ÉSCÖRT tonight', DEFAULT_RESTRICTED_WORDS)).toEqual({ ok: false, word: 'escort', index: 0 });
    expect(checkText('only cash!', ['cash'])).toEqual({ ok: false, word: 'cash', index: 5 });
    expect(checkText('a soft cashmere sweater', ['cash'])).toEqual({ ok: true });
    // Neighbours joined by a short gap must spell the word exactly, so this stays a sweater.
    expect(checkText('ca shmere', ['cash'])).toEqual({ ok: true });
    // A long gap is a sentence break, not a smuggled word.
    expect(checkText('pay.... pal', ['paypal'])).toEqual({ ok: true });
    expect(checkText('Hello love, new pics tonight 💕', DEFAULT_RESTRICTED_WORDS)).toEqual({ ok: true });
    expect(checkText('anything', [])).toEqual({ ok: true });
  });

  it('normalizes list words the way it reads texts', () => {
    expect(normalizeWord(' Cash App ')).toBe('cashapp');
    expect(normalizeWord('Crème')).toBe('creme');
    expect(restrictedSetSchema.safeParse({ words: ['ok', 'Zèle'] })).toEqual({ success: true, data: { words: ['ok', 'zele'] } });
    // One letter after normalizing would block every lone "a": refused at the boundary.
    const bad = restrictedSetSchema.safeParse({ words: ['a', '!!'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path)).toEqual([['words', 0], ['words', 1]]);
  });
});

describe('RestrictedWords over a real SQLite file', () => {
  const tempDir = useTempDirs();

  it('checks against the defaults and the agency list, which survives a reopen', () => {
    const path = join(tempDir(), 'r.db');
    const clock = manualClock();
    let db = openDatabase(path);
    const words = new RestrictedWords(db, clock);
    expect(words.checkText('meet on snapchat')).toEqual({ ok: true });
    expect(words.checkText('use venmo')).toMatchObject({ ok: false, word: 'venmo' });
    expect(words.set(['snapchat', 'telegram', 'snapchat'])).toEqual({ words: ['snapchat', 'telegram'], defaults: [...DEFAULT_RESTRICTED_WORDS] });
    expect(words.checkText('meet on Snap-chat')).toMatchObject({ ok: false, word: 'snapchat', index: 8 });
    db.close();

    db = openDatabase(path);
    const reopened = new RestrictedWords(db, clock);
    expect(reopened.get().words).toEqual(['snapchat', 'telegram']);
    expect(reopened.set([]).words).toEqual([]);
    expect(reopened.checkText('meet on snapchat')).toEqual({ ok: true });
    db.close();
  });
});
