/**
 * What an export account's operator gets to send by hand: CSV for a spreadsheet or plain text
 * for the clipboard. The texts are written by people and by AI, so a cell is treated as
 * hostile: RFC 4180 quoting, and a cell a spreadsheet would read as a formula is defused.
 */
import type { Send } from '../../../shared/sending';
import { microsToDecimal } from '../../../shared/money';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula triggers get a leading apostrophe (OWASP's advice), then RFC 4180 quoting. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const HEADER = ['send_id', 'chat_id', 'text', 'price_usd', 'media_ids'];

export function toCsv(sends: readonly Send[]): string {
  const lines = [HEADER.join(',')];
  for (const s of sends) {
    lines.push([s.id, s.chatId, s.text, s.priceMicros === null ? '' : microsToDecimal(s.priceMicros), s.mediaIds.join(' ')].map(csvCell).join(','));
  }
  // CRLF: RFC 4180's line break, and what spreadsheet imports expect.
  return `${lines.join('\r\n')}\r\n`;
}

/** For the clipboard: each message under its fan, separated so a multi-line text stays readable. */
export function toText(sends: readonly Send[]): string {
  return sends
    .map((s) => {
      const extras = [s.priceMicros === null ? null : `PPV $${microsToDecimal(s.priceMicros)}`, s.mediaIds.length ? `media: ${s.mediaIds.join(', ')}` : null].filter(Boolean);
      return [`To ${s.chatId}${extras.length ? ` (${extras.join('; ')})` : ''}:`, s.text].join('\n');
    })
    .join('\n\n---\n\n');
}
