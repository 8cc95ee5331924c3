#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into build/native/electron/, from a copy of the
 * package, so node_modules keeps the Node build that tests and the browser host load.
 * Needs Electron's headers, so it needs the network; run it before `npm run dist`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const source = dirname(require.resolve('better-sqlite3/package.json'));
const nodeGyp = process.env.npm_config_node_gyp;
if (!nodeGyp) {
  console.error('Run this through npm (npm run build:native:electron) so npm provides node-gyp.');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'huntaze-native-'));
try {
  const copy = join(work, 'better-sqlite3');
  cpSync(source, copy, { recursive: true, filter: (p) => !p.includes(`${join('better-sqlite3', 'build')}`) });
  execFileSync(
    process.execPath,
    [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
    { cwd: copy, stdio: 'inherit' },
  );
  const outDir = join(root, 'build', 'native', 'electron');
  mkdirSync(outDir, { recursive: true });
  copyFileSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'));
  console.log(`better-sqlite3 for Electron ${electronVersion} → ${join(outDir, 'better_sqlite3.node')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
