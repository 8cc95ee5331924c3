/**
 * An update server on loopback serving what electron-builder publishes for Linux: the channel
 * files `latest-linux.yml` / `beta-linux.yml` and the artifacts they name. The updater that reads
 * it under Node is main/update/node-engine.ts.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Release {
  version: string;
  /** The artifact's bytes; its sha512 is computed from them unless `sha512` says otherwise (a tampered release). */
  bytes: Buffer;
  sha512?: string;
  stagingPercentage?: number;
}

export const artifactPath = (version: string) => `/${artifactName(version)}`;
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
  /**
   * Holds the next download of `path` half way: `reached` resolves once half is sent, `release`
   * sends the rest (so a test sees the download under way without waiting on time).
   */
  hold(path: string): { reached: Promise<void>; release(): void };
  /** What the server answers instead, for the next requests of a path. */
  answer(path: string, status: number, body: string): void;
  close(): Promise<void>;
}

export async function startUpdateFeed(): Promise<UpdateFeed> {
  const files = new Map<string, { status: number; body: Buffer | string }>();
  const requests: string[] = [];
  const holds = new Map<string, { reached: () => void; released: Promise<void> }>();
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
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
    const held = holds.get(path);
    holds.delete(path);
    const half = held ? Math.floor(body.length / 2) : -1;
    for (let at = 0; at < body.length; at += piece) {
      if (held && at >= half && at - piece < half) {
        held.reached();
        await held.released;
      }
      res.write(body.subarray(at, at + piece));
    }
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
    hold(path) {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.set(path, { reached, released });
      return { reached: reachedP, release };
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

export { nodeAppAdapter, RecordingDebUpdater } from '../../main/update/node-engine';
