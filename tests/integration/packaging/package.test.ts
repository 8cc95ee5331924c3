import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as { listPackage(path: string): string[]; statFile(archive: string, path: string): { unpacked?: boolean } };
const fuses = require('@electron/fuses') as { getCurrentFuseWire(path: string): Promise<Record<string, unknown>>; FuseV1Options: Record<string, number> };

/** What @electron/fuses looks for in an Electron binary, and the byte each fuse state is written as. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 0x31;
const OFF = 0x30;
/** Electron's shipped defaults, fuse by fuse (RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, asar integrity off, asar-only off, V8 snapshot off, file: privileges on). */
const SHIPPED = [ON, OFF, ON, ON, OFF, OFF, OFF, ON];

/**
 * A stand-in for Electron's Linux dist: no Electron binary can be downloaded here, so the
 * executable is a file carrying the fuse wire exactly where and how a real one does. electron-builder
 * copies it, renames it, and @electron/fuses flips it, as for the real thing.
 */
function standInDist(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const wire = Buffer.from([1, SHIPPED.length, ...SHIPPED]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('\x7fELF stand-in for Electron\n'), Buffer.from(SENTINEL), wire, Buffer.alloc(32)]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(join(dir, 'version'), (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version);
  return dir;
}

describe('packaging: electron-builder --linux dir with a stand-in Electron (the packaged app as it would ship)', () => {
  // One package for all the checks: made once, removed after the last.
  const work = mkdtempSync(join(tmpdir(), 'huntaze-package-'));
  let app: string;
  let files: string[];
  // The Electron build of better-sqlite3 needs Electron's headers (network): the Node build stands in for it when none was made.
  const native = join(ROOT, 'build', 'native', 'electron', 'better_sqlite3.node');
  const placedNative = !existsSync(native);

  beforeAll(async () => {
    if (placedNative) {
      mkdirSync(join(ROOT, 'build', 'native', 'electron'), { recursive: true });
      copyFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), native);
    }
    const dist = standInDist(join(work, 'electron-dist'));
    const output = join(work, 'dist');
    await promisify(execFile)(process.execPath, [require.resolve('electron-builder/cli.js'), '--linux', 'dir', '-p', 'never', `-c.electronDist=${dist}`, `-c.directories.output=${output}`], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    app = join(output, 'linux-unpacked');
    files = asar.listPackage(join(app, 'resources', 'app.asar'));
  }, 180_000);

  afterAll(() => {
    if (placedNative) rmSync(native, { force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('packs the built shell, core and renderer with their runtime dependencies, and nothing of the workshop', () => {
    for (const f of ['/package.json', '/out/main/index.cjs', '/out/main/core.cjs', '/out/preload/index.cjs', '/out/renderer/index.html', '/node_modules/openai/package.json', '/node_modules/electron-updater/package.json']) {
      expect(files, f).toContain(f);
    }
    const workshop = files.filter(
      (f) =>
        /\.(ts|tsx|mts|cts|map)$/.test(f) ||
        /^\/(tests|bench|main|shared|renderer|preload|scripts|docs|src)\//.test(f) ||
        f.startsWith('/out/web/') ||
        /^\/node_modules\/(vitest|electron|electron-builder|playwright-core|eslint|typescript|vite|@doyensec|fast-check|dynalite|fauxqs)\//.test(f) ||
        /\/node_modules\/[^/]+\/(test|tests|__tests__)\//.test(f),
    );
    expect(workshop).toEqual([]);
  });

  it('keeps native modules out of the asar, and ships the Electron build of better-sqlite3 beside it', () => {
    expect(asar.statFile(join(app, 'resources', 'app.asar'), 'node_modules/better-sqlite3/build/Release/better_sqlite3.node').unpacked).toBe(true);
    expect(existsSync(join(app, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(app, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'test_extension.node'))).toBe(false);
    expect(existsSync(join(app, 'resources', 'native', 'better_sqlite3.node'))).toBe(true);
    // The tray's icons are read from disk by nativeImage (main/app/tray.ts), beside the asar.
    for (const png of ['tray.png', 'tray@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png']) expect(existsSync(join(app, 'resources', 'tray', png))).toBe(true);
  });

  it('points the packaged updater at the release feed (app-update.yml, read by electron-updater)', () => {
    const config = readFileSync(join(app, 'resources', 'app-update.yml'), 'utf8');
    expect(config).toMatch(/^provider: generic$/m);
    expect(config).toMatch(/^url: https:\/\/updates\.huntaze\.com\/desktop$/m);
    expect(config).toMatch(/^updaterCacheDirName: huntaze-desktop-updater$/m);
  });

  it('flips the fuses: no RunAsNode, NODE_OPTIONS or --inspect; cookie encryption, asar integrity and asar-only on (read back)', async () => {
    const { FuseV1Options: F } = fuses;
    const wire = await fuses.getCurrentFuseWire(join(app, 'huntaze-desktop'));
    expect(wire[F.RunAsNode!]).toBe(OFF);
    expect(wire[F.EnableNodeOptionsEnvironmentVariable!]).toBe(OFF);
    expect(wire[F.EnableNodeCliInspectArguments!]).toBe(OFF);
    expect(wire[F.EnableCookieEncryption!]).toBe(ON);
    expect(wire[F.EnableEmbeddedAsarIntegrityValidation!]).toBe(ON);
    expect(wire[F.OnlyLoadAppFromAsar!]).toBe(ON);
    expect(wire[F.GrantFileProtocolExtraPrivileges!]).toBe(OFF);
  });
});
