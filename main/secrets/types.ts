import type { SecretStoreKind } from '../../shared/secrets';

export type { SecretStoreKind };

/**
 * The port behind which every secret (provider API keys, AWS keys, the Slack webhook) lives.
 * Values never reach SQLite in clear, logs, IPC replies or the renderer: callers outside the
 * store ask `has` to show "set / not set".
 */
export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** true when the data key sits in a file beside the database: Settings shows it as weaker */
  readonly weaker: boolean;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  has(name: string): Promise<boolean>;
  /** Called after the data key changed under a running store (the keychain answered again). */
  onKeyChanged?(listener: () => void): () => void;
}

/**
 * `wrong_key`: the value was encrypted under a key this store does not hold (a replaced
 * keychain entry, or a legacy row not migrated yet); `corrupt`: it was damaged or moved;
 * `locked`: the keychain holds or may hold the key but refused to open until the operator unlocks it.
 */
export type SecretStoreErrorCode = 'unavailable' | 'corrupt' | 'wrong_key' | 'invalid_name' | 'invalid_value' | 'locked';

/** Messages name the secret at most, never its value. */
export class SecretStoreError extends Error {
  constructor(
    readonly code: SecretStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

/** Names were keychain account names and JSON keys in earlier stores, so they stay plain ASCII. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const MAX_SECRET_VALUE_BYTES = 16 * 1024;

export function assertSecretName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !SECRET_NAME_PATTERN.test(name)) {
    // The rejected string is not echoed: a caller that swapped name and value would log the value.
    throw new SecretStoreError(
      'invalid_name',
      'Invalid secret name: use 1 to 100 characters among letters, digits, ".", "_" and "-", starting with a letter or digit.',
    );
  }
}

export function assertSecretValue(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new SecretStoreError('invalid_value', `The value for secret "${name}" must be a non-empty string.`);
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_VALUE_BYTES) {
    throw new SecretStoreError('invalid_value', `The value for secret "${name}" is longer than ${MAX_SECRET_VALUE_BYTES} bytes.`);
  }
}
