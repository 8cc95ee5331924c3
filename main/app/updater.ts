import { app } from 'electron';
import { autoUpdater } from 'electron-updater';
import { UPDATE_METHODS, updatesMethods } from '../../shared/contract/updates';
import type { CoreApi } from '../core/api';
import { EventBus } from '../ipc/events';
import { createTableRegistry } from '../ipc/registry';
import { systemClock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { unsupportedUpdater, type Updater } from '../ports/updater';
import { updatesHandlers } from '../update/handlers';
import { createUpdater } from '../update/updater';

/**
 * The shell's answers to `updates.*`: electron-updater's `autoUpdater` behind the Updater port in
 * a packaged app (it reads the feed from app-update.yml, which electron-builder writes from
 * `publish`), `unsupported` in a development run. Signature checks are electron-updater's
 * defaults, left on: Squirrel.Mac checks the code signature, NsisUpdater the publisher's.
 */
export function startUpdater(dataDir: string, logger: Logger): CoreApi & { methods: ReadonlySet<string>; updater: Updater; stop(): void } {
  const scheduled = app.isPackaged ? createUpdater({ engine: autoUpdater, dataDir, clock: systemClock, logger }) : null;
  const updater: Updater = scheduled ?? unsupportedUpdater('not_packaged');
  const events = new EventBus(logger);
  updater.onChange((status) => events.emit('updates.changed', status));
  scheduled?.start();
  return {
    methods: UPDATE_METHODS,
    registry: createTableRegistry(updatesMethods, updatesHandlers(updater), logger),
    events,
    updater,
    stop: () => scheduled?.stop(),
  };
}
