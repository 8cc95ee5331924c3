import { AppError } from '../../shared/result';
import { SecretStoreError } from './types';

/** A secret store that cannot write (its key is gone) is the operator's to fix, not a crash. */
export async function secretWrite<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    // Locked is the operator's to unlock: the renderer words it with how, and offers Try again.
    if (err instanceof SecretStoreError && err.code === 'locked') throw new AppError('unavailable', 'keychain_locked');
    if (err instanceof SecretStoreError) throw new AppError('unavailable', 'secret_store_unavailable', { reason: err.code });
    throw err;
  }
}
