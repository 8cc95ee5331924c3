import { assertSecretName, assertSecretValue, type SecretStore, SecretStoreError } from './types';

/** The slice of keytar this store uses; tests hand in a loader that fails. */
export type KeytarApi = Pick<typeof import('keytar'), 'getPassword' | 'setPassword' | 'deletePassword' | 'findCredentials'>;

// keytar is CommonJS: depending on the loader its functions sit on the namespace or on `default`.
async function loadKeytar(): Promise<KeytarApi> {
  const mod = (await import('keytar')) as KeytarApi & { default?: KeytarApi };
  return mod.default ?? mod;
}

/** Secret names start with a letter or digit, so the probe entry never collides with one. */
const PROBE_ACCOUNT = '.probe';

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux), one
 * entry per secret under `service`. Throws SecretStoreError('unavailable') when keytar's native
 * module cannot load or the keychain cannot store an entry, so the caller can fall back.
 */
export async function createKeytarStore(service = 'Huntaze', load: () => Promise<KeytarApi> = loadKeytar): Promise<SecretStore> {
  let keytar: KeytarApi;
  try {
    keytar = await load();
  } catch (err) {
    throw new SecretStoreError('unavailable', `The OS keychain module could not be loaded: ${reason(err)}`);
  }
  // Loading succeeds without any keychain daemon, and a Secret Service can answer reads while
  // having no unlocked collection to write to (headless D-Bus sessions): only a write tells.
  try {
    await keytar.findCredentials(service);
    await keytar.setPassword(service, PROBE_ACCOUNT, 'probe');
    await keytar.deletePassword(service, PROBE_ACCOUNT);
  } catch (err) {
    throw new SecretStoreError('unavailable', `The OS keychain is not usable: ${reason(err)}`);
  }

  const fail = (action: string, name: string, err: unknown) =>
    new SecretStoreError('unavailable', `The OS keychain could not ${action} the secret "${name}": ${reason(err)}`);

  const get = async (name: string): Promise<string | undefined> => {
    assertSecretName(name);
    try {
      return (await keytar.getPassword(service, name)) ?? undefined;
    } catch (err) {
      throw fail('read', name, err);
    }
  };

  return {
    kind: 'os-keychain',
    weaker: false,
    get,
    async set(name, value) {
      assertSecretName(name);
      assertSecretValue(name, value);
      try {
        await keytar.setPassword(service, name, value);
      } catch (err) {
        throw fail('store', name, err);
      }
    },
    async delete(name) {
      assertSecretName(name);
      try {
        // false means there was nothing to delete, which is the state the caller wants.
        await keytar.deletePassword(service, name);
      } catch (err) {
        throw fail('delete', name, err);
      }
    },
    async has(name) {
      return (await get(name)) !== undefined;
    },
  };
}
