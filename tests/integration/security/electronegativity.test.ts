import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../support/tmp';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SCAN = join(ROOT, 'scripts', 'security', 'electronegativity.mjs');
const OFFLINE = join(ROOT, 'scripts', 'security', 'offline.mjs');

interface Finding {
  id: string;
  severity: 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
  file: string;
  line: number;
}
interface Report {
  checks: number;
  parseErrors: number;
  findings: Finding[];
}

/** The scan as CI and `npm run security:scan` run it: its own process, the network refused. */
async function scan(dirs: string[] = []): Promise<{ code: number; report: Report }> {
  const run = promisify(execFile)(process.execPath, ['--import', OFFLINE, SCAN, ...dirs], { cwd: ROOT });
  const { stdout, code } = await run.then(
    (r) => ({ stdout: r.stdout, code: 0 }),
    (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
  );
  // Electronegativity says on stdout that it kept its bundled translations; the report is the last line.
  const last = stdout.trim().split('\n').at(-1)!;
  return { code, report: JSON.parse(last) as Report };
}

describe('Electronegativity over the Electron shell', () => {
  const tempDir = useTempDirs();

  it('finds nothing HIGH or MEDIUM in main/app and preload, every file parsed, every check but the online one run', async () => {
    const { code, report } = await scan();
    expect(report.parseErrors).toBe(0);
    expect(report.checks).toBeGreaterThan(35);
    expect(report.findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM')).toEqual([]);
    expect(code).toBe(0);
  }, 60_000);

  it('does flag an unsafe window, so a clean result means something', async () => {
    const dir = join(tempDir(), 'unsafe');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'main.js'),
      [
        "const { BrowserWindow } = require('electron');",
        "const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });",
        "win.loadURL('http://example.com/');",
        '',
      ].join('\n'),
    );
    const { code, report } = await scan([dir]);
    const of = (severity: Finding['severity']) => report.findings.filter((f) => f.severity === severity).map((f) => f.id);
    expect(of('HIGH')).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']));
    expect(of('MEDIUM')).toEqual(expect.arrayContaining(['SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'AUXCLICK_JS_CHECK']));
    expect(code).toBe(1);
  }, 60_000);
});
