import type { updatesMethods } from '../../shared/contract/updates';
import { AppError } from '../../shared/result';
import type { HandlersFor } from '../ipc/registry';
import type { Updater } from '../ports/updater';

export function updatesHandlers(updater: Updater): HandlersFor<typeof updatesMethods> {
  return {
    'updates.status': () => updater.status(),
    'updates.check': () => updater.check(),
    'updates.setChannel': ({ channel }) => updater.setChannel(channel),
    'updates.restart': () => {
      if (!updater.restartToUpdate()) throw new AppError('conflict', 'update_not_ready');
      return { restarting: true as const };
    },
  };
}
