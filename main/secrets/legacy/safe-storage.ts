import { z } from 'zod';

/**
 * The hand-over for rows the desktop app's former store encrypted with Electron's safeStorage.
 * Only the Electron shell can decrypt them, and the core never imports Electron, so the shell
 * supplies this function: given each legacy row, it returns the plaintext, or null where
 * safeStorage cannot decrypt it. It is called once, at open, and only when such rows exist;
 * the core re-seals the plaintexts at once and they go nowhere else.
 */
export type LegacySafeStorageDecryptor = (rows: readonly LegacySafeStorageRow[]) => Promise<LegacySafeStorageReply>;

export interface LegacySafeStorageRow {
  readonly name: string;
  readonly ciphertext: Uint8Array;
}

/** Checked as untrusted input: when the core runs in its own process this crosses a port. */
export const legacySafeStorageReplySchema = z.array(z.strictObject({ name: z.string(), value: z.string().nullable() }));

export type LegacySafeStorageReply = z.infer<typeof legacySafeStorageReplySchema>;
