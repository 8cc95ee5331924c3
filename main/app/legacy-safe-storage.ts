import { safeStorage } from 'electron';
import type { LegacySafeStorageDecryptor } from '../secrets';

/**
 * The shell's half of the hand-over: plaintexts of the rows the former safeStorage store wrote,
 * null where the OS cannot decrypt one (another OS account, a reset keyring). Call after `app`
 * is ready: before that safeStorage cannot start.
 */
export const decryptLegacySafeStorage: LegacySafeStorageDecryptor = async (rows) => {
  const available = await safeStorage.isAsyncEncryptionAvailable();
  return Promise.all(
    rows.map(async ({ name, ciphertext }) => {
      if (!available) return { name, value: null };
      try {
        return { name, value: (await safeStorage.decryptStringAsync(Buffer.from(ciphertext))).result };
      } catch {
        return { name, value: null };
      }
    }),
  );
};
