/**
 * electron-updater under plain Node, for test hosts only (the browser host started with a loopback
 * feed, and the integration tests): electron-updater's own DebUpdater with an app adapter in place
 * of Electron's `app` and its HTTP executor over Node's `http` instead of Electron's `net`. The
 * channel files, rollout id, download and sha512 check are the library's code, unchanged; only
 * the install is recorded instead of run (it would call dpkg with sudo and quit Electron).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { DebUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor';
import { LOOPBACK_FEED } from './loopback';


class NodeHttpExecutor extends ElectronHttpExecutor {
  constructor() {
    super(() => undefined);
  }
  override createRequest(options: Parameters<ElectronHttpExecutor['createRequest']>[0], callback: (response: unknown) => void) {
    return request({ ...options, protocol: 'http:' }, callback) as unknown as ReturnType<ElectronHttpExecutor['createRequest']>;
  }
}

/** A packaged app as Electron's app would describe it, with the app-update.yml electron-builder writes pointing at the feed. */
export function nodeAppAdapter(dir: string, version: string, feedUrl: string): AppAdapter {
  if (!LOOPBACK_FEED.test(feedUrl)) throw new Error(`a test update feed must be on loopback: ${feedUrl}`);
  const resources = join(dir, 'resources');
  mkdirSync(resources, { recursive: true });
  writeFileSync(join(resources, 'app-update.yml'), `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: huntaze-desktop-updater\n`);
  return {
    version,
    name: 'Huntaze',
    isPackaged: true,
    appUpdateConfigPath: join(resources, 'app-update.yml'),
    userDataPath: join(dir, 'userData'),
    baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
}

export class RecordingDebUpdater extends DebUpdater {
  readonly installs: Array<{ isSilent: boolean; isForceRunAfter: boolean; file: string | null }> = [];
  constructor(app: AppAdapter) {
    super(null, app);
    // Not in electron-updater's typings: the executor an updater built with an app adapter leaves unset.
    (this as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new NodeHttpExecutor();
  }
  override quitAndInstall(isSilent = false, isForceRunAfter = false): void {
    this.installs.push({ isSilent, isForceRunAfter, file: this.installerPath });
  }
}
