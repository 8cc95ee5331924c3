// Electronegativity over the Electron shell (main/app and preload, scanned together so its global
// checks see the session hardening beside the windows). Prints the findings as one JSON line;
// exits 1 when any is HIGH or MEDIUM. Run with `--import ./scripts/security/offline.mjs`
// (`npm run security:scan` does). Usage: electronegativity.mjs [dir ...] (default: main/app preload).
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
// CommonJS, loaded through require so the offline hook sees its `got`.
const run = createRequire(import.meta.url)('@doyensec/electronegativity');
// Network-bound: it compares the Electron version with GitHub's release notes. Electron's version
// is pinned in package.json and raised by hand with its release notes read.
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

const dirs = process.argv.slice(2);
const inputs = dirs.length > 0 ? dirs.map((d) => resolve(d)) : [join(ROOT, 'main', 'app'), join(ROOT, 'preload')];
const scan = mkdtempSync(join(tmpdir(), 'huntaze-eneg-'));
let code;
try {
  for (const dir of inputs) cpSync(dir, join(scan, basename(dir)), { recursive: true });
  const electron = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const result = await run({ input: scan, isRelative: true, excludeFromScan: EXCLUDED, electronVersionOverride: electron });
  const findings = result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    file: i.file,
    line: i.location.line,
    manualReview: Boolean(i.manualReview),
  }));
  const parseErrors = result.errors.filter((e) => !e.tolerable).length;
  process.stdout.write(`${JSON.stringify({ checks: result.globalChecks + result.atomicChecks, parseErrors, findings })}\n`);
  code = parseErrors > 0 || findings.some((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM') ? 1 : 0;
} finally {
  rmSync(scan, { recursive: true, force: true });
}
process.exit(code);
