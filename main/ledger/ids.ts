/**
 * How ai_costs stores its two ids. The orchestrator mints UUIDv7s: kept as 16-byte blobs they
 * take 16 bytes instead of 36 in the row and in each of the two indexes that hold them, which
 * is most of what a ledger row weighs. Anything that is not a canonical lowercase UUID stays
 * text, so every id reads back exactly as it was written.
 */
export type StoredId = string | Buffer;

/** Value of each lowercase hex digit by char code, -1 for anything else. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;
const DASH = 45;

/**
 * Every cost row encodes two ids: read digit by digit, with no regex and no intermediate
 * strings (the regex-and-slices version was a tenth of a ledger write's CPU).
 */
export function idToDb(id: string): StoredId {
  if (id.length !== 36 || id.charCodeAt(8) !== DASH || id.charCodeAt(13) !== DASH || id.charCodeAt(18) !== DASH || id.charCodeAt(23) !== DASH) return id;
  const out = Buffer.allocUnsafe(16);
  let at = 0;
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) i++;
    const hi = HEX[id.charCodeAt(i)] ?? -1;
    const lo = HEX[id.charCodeAt(i + 1)] ?? -1;
    if (hi < 0 || lo < 0) return id;
    out[at++] = (hi << 4) | lo;
  }
  return out;
}

export function idFromDb(stored: StoredId): string {
  if (typeof stored === 'string') return stored;
  const h = stored.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
