import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const OUTPUTS = ['out/web/index.js', 'out/web/core.js', 'out/renderer/index.html', 'out/main/index.cjs', 'out/main/core.cjs', 'out/preload/index.cjs'];
const SOURCES = ['main', 'preload', 'renderer', 'shared', 'package.json', 'electron.vite.config.ts', 'vite.web.config.ts'];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Tests that drive the browser host run the built bundle; rebuild it when a source is newer. */
export default function setup() {
  // For runs that touch no built bundle while the renderer is mid-edit.
  if (process.env.HUNTAZE_TEST_NO_BUILD === '1') return;
  const outputs = OUTPUTS.map((p) => join(ROOT, p));
  const stale =
    outputs.some((p) => !existsSync(p)) ||
    Math.max(...SOURCES.map((p) => newestMtime(join(ROOT, p)))) > Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  if (stale) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}
