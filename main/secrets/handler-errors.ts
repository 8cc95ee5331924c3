import { AppError } from '../../shared/result';
import { SecretStoreError } from './types';

/** A secret store that cannot write (its key is gone) is the operator's to fix, not a crash. */
export async function secretWrite<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof SecretStoreError) throw new AppError('unavailable', 'secret_store_unavailable', { reason: err.code });
    throw err;
  }
}
