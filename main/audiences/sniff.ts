/**
 * What the bytes of a fan file are before any CSV is read: binary or text, UTF-8 or not, which
 * separator. The UTF-8 check runs chunk by chunk (a character may straddle two chunks) and says
 * on which line the first bad byte sits, so the operator can find it.
 */

/** Bytes of the first chunk looked at for NULs and control characters. */
export const SNIFF_BYTES = 64 << 10;

/**
 * A text export has no NUL and almost no control characters besides tab, CR, LF and form feed;
 * an image, an archive or a spreadsheet (.xlsx is a zip) has plenty of both in its first bytes.
 */
export function looksBinary(head: Buffer): boolean {
  const n = Math.min(head.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 12 && b !== 13) control++;
  }
  return n > 0 && control / n > 0.01;
}

/** UTF-16 text is not binary but is not UTF-8 either: its BOM says so. */
export function isUtf16(head: Buffer): boolean {
  return head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
}

/**
 * The separator of the header line: whichever of `,`, `;` and tab occurs most outside quotes
 * (`;` is what French spreadsheets write, because `,` is their decimal comma).
 */
export function detectDelimiter(head: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/** A streaming UTF-8 validator (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
export class Utf8Check {
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;
  /** Line number (1-based) at the start of the next chunk. */
  private line = 1;

  /** The line of the first invalid byte in `chunk`, or null when the chunk is valid so far. */
  push(chunk: Buffer): number | null {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.need === 0) {
        if (b === 0x0a) this.line++;
        if (b < 0x80) continue;
        if (b >= 0xc2 && b <= 0xdf) this.need = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          this.need = 2;
          if (b === 0xe0) this.lower = 0xa0;
          if (b === 0xed) this.upper = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          this.need = 3;
          if (b === 0xf0) this.lower = 0x90;
          if (b === 0xf4) this.upper = 0x8f;
        } else return this.line;
        continue;
      }
      if (b < this.lower || b > this.upper) return this.line;
      this.lower = 0x80;
      this.upper = 0xbf;
      this.need--;
    }
    return null;
  }

  /** At the end of the file: a character cut short is invalid too. */
  end(): number | null {
    return this.need === 0 ? null : this.line;
  }
}
