import { keychainService } from '../paths';

/**
 * The OS keychain slot that holds one data folder's data key: macOS Keychain, Windows Credential
 * Manager, the Secret Service on Linux. Synchronous on purpose: the key is read once at open,
 * and a new one is created inside a SQLite write transaction (see data-key.ts), which cannot
 * span an await. Every method throws when no keychain answers.
 */
export interface Keychain {
  /** Where the key lives, for log lines and error messages. */
  readonly description: string;
  read(): string | null;
  write(value: string): void;
}

/**
 * The data key's own service, beside the one the former keytar store used (`keychainService`)
 * rather than in it: keytar's Linux findCredentials matches every item of its service under the
 * generic schema and crashes the process (a NULL `account`) on an item written by keyring-rs,
 * which stores {service, username}. Kept apart, the migration can list keytar's entries safely.
 */
export const dataKeyService = (dataDir: string) => `${keychainService(dataDir)} data key`;
export const DATA_KEY_ACCOUNT = 'data-key';

type KeyringModule = typeof import('@napi-rs/keyring');

/**
 * @napi-rs/keyring ships N-API prebuilds, so the same binary loads under Node and inside
 * Electron's utilityProcess. Loaded lazily: a platform without a prebuild gets the key file.
 */
export async function osKeychain(service: string): Promise<Keychain> {
  const description = `the OS keychain (service "${service}")`;
  let keyring: KeyringModule | undefined;
  let loadError: unknown;
  try {
    keyring = await import('@napi-rs/keyring');
  } catch (err) {
    loadError = err;
  }
  const entry = () => {
    if (!keyring) throw new Error(`the keychain module could not be loaded: ${(loadError as Error)?.message ?? String(loadError)}`);
    // On Linux the default would fall back to the kernel keyring, which forgets the key at reboot.
    return new keyring.Entry(service, DATA_KEY_ACCOUNT, { linux: { store: 'secret-service' } });
  };
  return {
    description,
    read: () => entry().getPassword(),
    write: (value) => entry().setPassword(value),
  };
}
