/**
 * Restricted words: terms a creator's outgoing message must not contain. The check is pure and
 * shared, so the send path (core) and the composer (renderer) agree on what is blocked.
 */
import { z } from 'zod';

/**
 * The built-in list. From OnlyFans' Acceptable Use Policy (content involving minors, incest,
 * non-consent, bestiality, escorting) and its Terms of Service, which forbid taking payment off
 * the platform (hence the payment apps). Short on purpose: the agency adds its own.
 */
export const DEFAULT_RESTRICTED_WORDS: readonly string[] = [
  'underage',
  'incest',
  'rape',
  'bestiality',
  'escort',
  'prostitution',
  'paypal',
  'venmo',
  'cashapp',
  'zelle',
];

export const MAX_RESTRICTED_WORDS = 500;
export const MAX_RESTRICTED_WORD_CHARS = 40;

/** Lowercase, accents and other marks dropped (NFKD), compatibility forms folded (ﬁ → fi). */
function fold(ch: string): string {
  return ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

const ALNUM = /^[\p{L}\p{N}]+$/u;
/** Marks and invisible format characters (zero-width space/joiner) are skipped, never a gap. */
const IGNORABLE = /^[\p{M}\p{Cf}]+$/u;

/** A word as the list stores it: folded, letters and digits only. */
export function normalizeWord(word: string): string {
  let out = '';
  for (const ch of word) {
    const f = fold(ch);
    for (const c of f) if (ALNUM.test(c)) out += c;
  }
  return out;
}

export const restrictedWordSchema = z
  .string()
  .max(MAX_RESTRICTED_WORD_CHARS * 4)
  .transform(normalizeWord)
  .pipe(z.string().min(2).max(MAX_RESTRICTED_WORD_CHARS));

export const restrictedSetSchema = z
  .object({ words: z.array(restrictedWordSchema).max(MAX_RESTRICTED_WORDS) })
  .strict();

export const restrictedListSchema = z.object({
  /** The agency's own words, normalized, sorted. */
  words: z.array(z.string()),
  defaults: z.array(z.string()),
});
export type RestrictedList = z.infer<typeof restrictedListSchema>;

export type CheckResult = { ok: true } | { ok: false; word: string; index: number };

interface Token {
  text: string;
  /** UTF-16 offset in the original text of the token's first character. */
  start: number;
  /** Length of the gap (skipped characters) before the next token. */
  gapAfter: number;
}

/**
 * Splitting into folded letter runs; a run ends at anything that is not a letter, digit, mark
 * or invisible character.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let current: Token | null = null;
  let gap = 0;
  let offset = 0;
  for (const ch of text) {
    const at = offset;
    offset += ch.length;
    if (IGNORABLE.test(ch)) continue;
    const folded = [...fold(ch)].filter((c) => ALNUM.test(c)).join('');
    if (folded === '') {
      if (current) {
        tokens.push(current);
        current = null;
        gap = 0;
      }
      gap++;
      if (tokens.length > 0) tokens[tokens.length - 1]!.gapAfter = gap;
      continue;
    }
    if (!current) current = { text: '', start: at, gapAfter: 0 };
    current.text += folded;
  }
  if (current) tokens.push(current);
  return tokens;
}

/**
 * Whole words only: "cash" blocks "cash", "CASH!" and "Cásh" but not "cashmere". Letters split by
 * short runs of punctuation or spaces ("c.a.s.h", "pay pal", "p-a-y-p-a-l") are read together,
 * since that is how a word is smuggled past a filter; neighbours joined that way must spell the
 * word exactly, so "ca shmere" still passes.
 */
export function checkText(text: string, words: Iterable<string>): CheckResult {
  const list = new Set<string>();
  let longest = 0;
  for (const w of words) {
    const n = normalizeWord(w);
    if (n.length < 2) continue;
    list.add(n);
    longest = Math.max(longest, n.length);
  }
  if (list.size === 0) return { ok: true };
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    let joined = '';
    for (let j = i; j < tokens.length; j++) {
      joined += tokens[j]!.text;
      if (joined.length > longest) break;
      if (list.has(joined)) return { ok: false, word: joined, index: tokens[i]!.start };
      // Only short separators join: a sentence break or a long gap ends the chance of a smuggled word.
      if (tokens[j]!.gapAfter > MAX_JOIN_GAP) break;
    }
  }
  return { ok: true };
}

const MAX_JOIN_GAP = 3;
