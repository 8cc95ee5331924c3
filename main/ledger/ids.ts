/**
 * How ai_costs stores its two ids. The orchestrator mints UUIDv7s: kept as 16-byte blobs they
 * take 16 bytes instead of 36 in the row and in each of the two indexes that hold them, which
 * is most of what a ledger row weighs. Anything that is not a canonical lowercase UUID stays
 * text, so every id reads back exactly as it was written.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type StoredId = string | Buffer;

export function idToDb(id: string): StoredId {
  if (id.length !== 36 || !UUID.test(id)) return id;
  return Buffer.from(id.slice(0, 8) + id.slice(9, 13) + id.slice(14, 18) + id.slice(19, 23) + id.slice(24), 'hex');
}

export function idFromDb(stored: StoredId): string {
  if (typeof stored === 'string') return stored;
  const h = stored.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
