import { PROVIDER_IDS, type ProviderId } from '../../shared/ai';
import type { SecretStore } from '../secrets';

export const secretName = (provider: ProviderId) => `provider.${provider}.apiKey`;

/**
 * Provider keys, loaded once from the SecretStore and held in memory so the request path never
 * waits on a keychain. Nothing here logs, returns or persists a key.
 */
export class KeyRing {
  private readonly keys = new Map<ProviderId, string>();
  readonly ready: Promise<void>;

  constructor(private readonly store: SecretStore) {
    this.ready = Promise.all(
      PROVIDER_IDS.map(async (id) => {
        const key = await store.get(secretName(id));
        if (key) this.keys.set(id, key);
      }),
    ).then(() => undefined);
  }

  get(id: ProviderId): string | undefined {
    return this.keys.get(id);
  }

  async set(id: ProviderId, key: string): Promise<void> {
    await this.store.set(secretName(id), key);
    this.keys.set(id, key);
  }

  async clear(id: ProviderId): Promise<void> {
    await this.store.delete(secretName(id));
    this.keys.delete(id);
  }
}
