/**
 * An update server on loopback serving what electron-builder publishes for Linux (the channel
 * files `latest-linux.yml` / `beta-linux.yml` and the artifacts they name), and electron-updater's
 * own DebUpdater driven under Node: the app adapter is what Electron's app would answer, and the
 * HTTP executor is electron-updater's with Node's http in place of Electron's net. Everything
 * else — channel files, rollout id, download, sha512 check — is the library's code.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DebUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor';

export interface Release {
  version: string;
  /** The artifact's bytes; its sha512 is computed from them unless `sha512` says otherwise (a tampered release). */
  bytes: Buffer;
  sha512?: string;
  stagingPercentage?: number;
}

export const sha512Of = (bytes: Buffer) => createHash('sha512').update(bytes).digest('base64');
const artifactName = (version: string) => `huntaze-desktop_${version}_amd64.deb`;

/** The channel file electron-builder writes beside a Linux release (app-builder-lib's updateInfoBuilder), line for line. */
export function channelFile(release: Release): string {
  const url = artifactName(release.version);
  const sha512 = release.sha512 ?? sha512Of(release.bytes);
  const lines = [
    `version: ${release.version}`,
    'files:',
    `  - url: ${url}`,
    `    sha512: ${sha512}`,
    `    size: ${release.bytes.length}`,
    `path: ${url}`,
    `sha512: ${sha512}`,
    "releaseDate: '2026-11-20T10:00:00.000Z'",
  ];
  if (release.stagingPercentage !== undefined) lines.push(`stagingPercentage: ${release.stagingPercentage}`);
  return lines.join('\n') + '\n';
}

export interface UpdateFeed {
  url: string;
  /** Paths asked for, in order (query strings removed). */
  readonly requests: string[];
  /** Publishes `release` as the channel's newest (`latest` is stable). */
  publish(channel: 'latest' | 'beta', release: Release): void;
  /** What the server answers instead, for the next requests of a path. */
  answer(path: string, status: number, body: string): void;
  close(): Promise<void>;
}

export async function startUpdateFeed(): Promise<UpdateFeed> {
  const files = new Map<string, { status: number; body: Buffer | string }>();
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    const file = files.get(path);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = typeof file.body === 'string' ? Buffer.from(file.body) : file.body;
    res.writeHead(file.status, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    // Sent in pieces so the download reports progress as a real one does.
    const piece = 64 * 1024;
    for (let at = 0; at < body.length; at += piece) res.write(body.subarray(at, at + piece));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    requests,
    publish(channel, release) {
      files.set(`/${channel}-linux.yml`, { status: 200, body: channelFile(release) });
      files.set(`/${artifactName(release.version)}`, { status: 200, body: release.bytes });
    },
    answer(path, status, body) {
      files.set(path, { status, body });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** electron-updater's executor over Node's http: the download, its progress and its sha512 check are unchanged. */
class NodeHttpExecutor extends ElectronHttpExecutor {
  constructor() {
    super(() => undefined);
  }
  override createRequest(options: Parameters<ElectronHttpExecutor['createRequest']>[0], callback: (response: unknown) => void) {
    return request({ ...options, protocol: 'http:' }, callback) as unknown as ReturnType<ElectronHttpExecutor['createRequest']>;
  }
}

/** A packaged app as Electron's app would describe it, with its app-update.yml pointing at the feed. */
export function nodeAppAdapter(dir: string, version: string, feedUrl: string): AppAdapter & { quits: number } {
  const resources = join(dir, 'resources');
  mkdirSync(resources, { recursive: true });
  // What electron-builder writes into resources/ from electron-builder.yml's `publish`.
  writeFileSync(join(resources, 'app-update.yml'), `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: huntaze-desktop-updater\n`);
  const adapter = {
    version,
    name: 'Huntaze',
    isPackaged: true,
    appUpdateConfigPath: join(resources, 'app-update.yml'),
    userDataPath: join(dir, 'userData'),
    baseCachePath: join(dir, 'cache'),
    quits: 0,
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => {
      adapter.quits += 1;
    },
    onQuit: () => undefined,
  };
  return adapter;
}

/**
 * The deb updater with only the install step recorded instead of run: installing calls dpkg with
 * sudo and quits Electron, neither of which a test may do.
 */
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
