import type { UpdateChannel, UpdateStatus } from '../../shared/updates';

/**
 * The app updates itself through this port. The Electron shell's implementation drives
 * electron-updater (main/update/updater.ts, wired in main/app/updater.ts); the browser host has
 * nothing to update and answers `unsupported`.
 */
export interface Updater {
  status(): UpdateStatus;
  /** Checks now, unless a check or download is under way or an update is ready. */
  check(): Promise<UpdateStatus>;
  setChannel(channel: UpdateChannel): UpdateStatus;
  /** Quits and installs; false (nothing done) unless a verified download is ready. */
  restartToUpdate(): boolean;
  onChange(listener: (status: UpdateStatus) => void): () => void;
}

export function unsupportedUpdater(reason: 'browser_host' | 'not_packaged'): Updater {
  const status: UpdateStatus = { state: { kind: 'unsupported', reason }, channel: 'stable', checkedAt: null };
  return {
    status: () => status,
    check: () => Promise.resolve(status),
    setChannel: () => status,
    restartToUpdate: () => false,
    onChange: () => () => undefined,
  };
}
