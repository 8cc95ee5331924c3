import { PROVIDER_IDS, type ProviderId } from '../../shared/ai';
import type { Logger } from '../ports/logger';
import type { SecretStore } from '../secrets';
import { secretWrite } from '../secrets/handler-errors';

export const secretName = (provider: ProviderId) => `provider.${provider}.apiKey`;

/**
 * Provider keys, loaded once from the SecretStore and held in memory so the request path never
 * waits on a keychain. Nothing here logs, returns or persists a key.
 */
export class KeyRing {
  private readonly keys = new Map<ProviderId, string>();
  ready: Promise<void>;

  constructor(
    private readonly store: SecretStore,
    private readonly logger: Logger,
  ) {
    this.ready = this.load();
    // A keychain unlocked (or back) while the app runs: the keys it kept become readable.
    store.onKeyChanged?.(() => {
      this.ready = this.load();
    });
  }

  private load(): Promise<void> {
    const logger = this.logger;
    const store = this.store;
    return Promise.all(
      PROVIDER_IDS.map(async (id) => {
        try {
          const key = await store.get(secretName(id));
          if (key) this.keys.set(id, key);
        } catch (err) {
          // A key that cannot be read shows as "not set", so the operator can enter it again.
          logger.warn('secrets: a provider key could not be read', { provider: id, error: (err as Error).message });
        }
      }),
    ).then(() => undefined);
  }

  get(id: ProviderId): string | undefined {
    return this.keys.get(id);
  }

  async set(id: ProviderId, key: string): Promise<void> {
    await secretWrite(() => this.store.set(secretName(id), key));
    this.keys.set(id, key);
  }

  async clear(id: ProviderId): Promise<void> {
    await this.store.delete(secretName(id));
    this.keys.delete(id);
  }
}
