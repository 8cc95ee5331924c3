/**
 * What a fan file's cells mean: which header names map to which column (English and French,
 * as agencies export them) and how each cell becomes a value or a reason it cannot.
 */
import { type FanColumn, MAX_FAN_ID, MAX_FAN_NAME, MAX_TAG, MAX_TAGS_PER_FAN, type RowErrorCode } from '../../shared/audiences';
import { parseDollars } from '../../shared/money';
import type { PlatformFan } from '../messaging/transport';

/** Header names after `normalizeHeader`; the first column of the list is required. */
const ALIASES: Record<FanColumn, readonly string[]> = {
  fanId: ['fanid', 'id', 'userid', 'fan', 'idfan', 'identifiant', 'identifiantfan', 'identifiantdufan', 'iddufan'],
  name: ['name', 'username', 'user', 'handle', 'nom', 'nomdutilisateur', 'pseudo'],
  displayName: ['displayname', 'display', 'nomaffiche', 'nomdaffichage', 'affichage', 'pseudoaffiche'],
  totalSpend: ['totalspend', 'spend', 'totalspent', 'spent', 'lifetimespend', 'depensetotale', 'depensestotales', 'depenses', 'totaldepense', 'totaldesdepenses', 'montanttotal'],
  subscribedAt: ['subscribeddate', 'subscribed', 'subscribedat', 'subscriptiondate', 'subscribedon', 'dateabonnement', 'datedabonnement', 'abonnele', 'abonnement'],
  expiresAt: ['expirydate', 'expiry', 'expires', 'expiresat', 'expirationdate', 'expireson', 'dateexpiration', 'datedexpiration', 'expiration', 'expirele'],
  tags: ['tags', 'tag', 'labels', 'etiquettes', 'etiquette', 'libelles'],
};

const BY_NAME = new Map<string, FanColumn>(
  (Object.entries(ALIASES) as Array<[FanColumn, readonly string[]]>).flatMap(([column, names]) => names.map((n) => [n, column] as const)),
);

/** "Date d'abonnement", "subscribed_date", " Fan ID " → one spelling: no case, accents, spaces or punctuation. */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export type HeaderMap = { columns: Map<FanColumn, number>; width: number };

export type HeaderProblem = { rule: 'missing' | 'duplicate'; column: FanColumn };

/** Unknown headers are ignored (exports carry more columns than we use). */
export function mapHeader(cells: readonly string[]): HeaderMap | HeaderProblem {
  const columns = new Map<FanColumn, number>();
  for (const [index, cell] of cells.entries()) {
    const column = BY_NAME.get(normalizeHeader(cell));
    if (!column) continue;
    if (columns.has(column)) return { rule: 'duplicate', column };
    columns.set(column, index);
  }
  if (!columns.has('fanId')) return { rule: 'missing', column: 'fanId' };
  return { columns, width: cells.length };
}

/** A row that parsed: the same fan shape the platform's fan list gives. */
export type ParsedFan = PlatformFan;

export type CellProblem = { code: RowErrorCode; column: FanColumn | null };

/**
 * Dollars as exports write them: "1234.5", "$1,234.50", and the French "1 234,50" (a comma
 * followed by one or two digits, or after space-grouped thousands, is a decimal comma). A lone
 * "1,234" stays English thousands, the more common export.
 */
export function parseSpend(text: string): number | null {
  const t = text.trim().replace(/[\s\u00a0\u202f]*(?:USD|US\$|\$)[\s\u00a0\u202f]*/gi, '');
  if (t === '') return 0;
  const french = /^(\d{1,3}(?:[\s\u00a0\u202f.]\d{3})+|\d+),(\d{1,6})$/.exec(t);
  if (french && (french[2]!.length !== 3 || /[\s\u00a0\u202f.]/.test(french[1]!))) {
    return parseDollars(`${french[1]!.replace(/[\s\u00a0\u202f.]/g, '')}.${french[2]}`);
  }
  return parseDollars(t.replace(/[\s\u00a0\u202f]/g, ''));
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * ISO 8601 dates and date-times only: "03/04/2026" is March in one export and April in another,
 * so it is refused rather than guessed. A date or a time without an offset is read as UTC.
 */
export function parseDate(text: string): number | null | 'invalid' {
  const t = text.trim();
  if (t === '') return null;
  const m = ISO_DATE.exec(t);
  if (!m) return 'invalid';
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(base);
  // Date.UTC rolls 2026-02-30 into March; a date that does not round-trip does not exist.
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return 'invalid';
  if (!zone || zone === 'Z') return base;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return base - sign * offset;
}

/** Tags in one cell, split on `|`, `,` or `;`; the same tag twice (any case) counts once. */
export function parseTags(text: string): string[] | CellProblem['code'] {
  const seen = new Map<string, string>();
  for (const raw of text.split(/[|,;]/)) {
    const tag = raw.trim();
    if (!tag) continue;
    if (tag.length > MAX_TAG) return 'too_long';
    if (!seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  if (seen.size > MAX_TAGS_PER_FAN) return 'too_many_tags';
  return [...seen.values()];
}

function text(cells: readonly string[], header: HeaderMap, column: FanColumn): string {
  const index = header.columns.get(column);
  return index === undefined ? '' : (cells[index] ?? '').trim();
}

/** One record's cells as a fan, or the first problem found (one reason per bad row). */
export function parseRow(cells: readonly string[], header: HeaderMap): ParsedFan | CellProblem {
  if (cells.length > header.width) return { code: 'column_count', column: null };
  const fanId = text(cells, header, 'fanId');
  if (!fanId) return { code: 'missing_fan_id', column: 'fanId' };
  if (fanId.length > MAX_FAN_ID) return { code: 'too_long', column: 'fanId' };
  const name = text(cells, header, 'name');
  if (name.length > MAX_FAN_NAME) return { code: 'too_long', column: 'name' };
  const displayName = text(cells, header, 'displayName');
  if (displayName.length > MAX_FAN_NAME) return { code: 'too_long', column: 'displayName' };
  const spend = parseSpend(text(cells, header, 'totalSpend'));
  if (spend === null) return { code: 'invalid_spend', column: 'totalSpend' };
  const subscribedAt = parseDate(text(cells, header, 'subscribedAt'));
  if (subscribedAt === 'invalid') return { code: 'invalid_date', column: 'subscribedAt' };
  const expiresAt = parseDate(text(cells, header, 'expiresAt'));
  if (expiresAt === 'invalid') return { code: 'invalid_date', column: 'expiresAt' };
  const tags = parseTags(text(cells, header, 'tags'));
  if (typeof tags === 'string') return { code: tags, column: 'tags' };
  return { fanId, name: name || null, displayName: displayName || null, totalSpendMicros: spend, subscribedAt, expiresAt, tags };
}
