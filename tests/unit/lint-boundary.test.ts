import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

async function lint(path: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the electron import boundary', () => {
  it.each([
    ['main/db/violation.ts', "import { app } from 'electron';\nexport const v = app;\n"],
    ['main/services-violation.ts', "import { safeStorage } from 'electron';\nexport const s = safeStorage;\n"],
    ['shared/violation.ts', "export { ipcRenderer } from 'electron';\n"],
    ['main/web/violation.ts', "import type { IpcMain } from 'electron/main';\nexport type X = IpcMain;\n"],
  ])('fails lint for a core file that imports electron (%s)', async (path, code) => {
    expect((await lint(path, code)).join('\n')).toMatch(/Only main\/app\/ and preload\/ may import 'electron'/);
  });

  it('fails lint for a renderer file that imports electron or main', async () => {
    expect(await lint('renderer/src/violation.tsx', "import { shell } from 'electron';\nexport const s = shell;\n")).toHaveLength(1);
    expect(await lint('renderer/src/violation.ts', "import { createServices } from '../../main/services';\nexport const c = createServices;\n")).toHaveLength(1);
  });

  it.each([
    ['main/app/allowed.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['preload/allowed.ts', "import { contextBridge } from 'electron';\nexport const c = contextBridge;\n"],
  ])('lets the shell and the preload import electron (%s)', async (path, code) => {
    expect(await lint(path, code)).toEqual([]);
  });

  // Lints the whole tree with type information: tens of seconds on a busy two-core machine.
  it('passes on the real tree', { timeout: 180_000 }, async () => {
    const results = await eslint.lintFiles(['main', 'preload', 'shared', 'renderer/src']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}: ${m.message}`));
    expect(errors).toEqual([]);
  });
});
