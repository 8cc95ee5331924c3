import { z } from 'zod';
import { type EventTable, type MethodTable, noInput } from './define';

/**
 * Where the secret store's data key is: in the OS keychain, in a key file beside the database
 * (no keychain answered), nowhere usable because the keychain is locked, or unusable (a damaged
 * entry or file; the log names it).
 */
export const KEYCHAIN_STATES = ['keychain', 'key-file', 'locked', 'unusable'] as const;

/** The core's OS, so the renderer words the right way to enable or unlock a keychain. */
export const KEYCHAIN_PLATFORMS = ['darwin', 'win32', 'linux', 'other'] as const;

export const keychainStatusSchema = z.object({
  state: z.enum(KEYCHAIN_STATES),
  platform: z.enum(KEYCHAIN_PLATFORMS),
  /** The key-file notice is due: the key landed in a file and nobody pressed "Got it" since. */
  notice: z.boolean(),
});
export type KeychainStatus = z.infer<typeof keychainStatusSchema>;

export const keychainMethods = {
  'keychain.status': { input: noInput, output: keychainStatusSchema },
  /** "Got it" on the key-file notice: not shown again until the key moves and falls back again. */
  'keychain.acknowledge': { input: noInput, output: keychainStatusSchema },
  /** Asks the keychain again (unlocked, or installed since): no restart needed. */
  'keychain.retry': { input: noInput, output: keychainStatusSchema },
} as const satisfies MethodTable;

export const keychainEvents = {
  'keychain.changed': keychainStatusSchema,
} as const satisfies EventTable;
