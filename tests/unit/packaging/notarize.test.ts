import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

type Plan = { action: 'skip'; reason: string } | { action: 'notarize'; options: Record<string, string> };
type Context = { electronPlatformName: string; appOutDir: string; packager: { appInfo: { productFilename: string } } };
type AfterSign = ((context: Context, env: Record<string, string | undefined>, log: (line: string) => void, load: () => { notarize(options: unknown): Promise<void> }) => Promise<Plan>) & {
  notarizePlan(context: Context, env: Record<string, string | undefined>): Plan;
};
const afterSign = require(join(ROOT, 'scripts', 'notarize.cjs')) as AfterSign;

const mac: Context = { electronPlatformName: 'darwin', appOutDir: '/build/mac', packager: { appInfo: { productFilename: 'Huntaze' } } };
const appleId = { APPLE_ID: 'dev@huntaze.com', APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh', APPLE_TEAM_ID: 'TEAM123456' };
const apiKey = { APPLE_API_KEY: '/keys/AuthKey.p8', APPLE_API_KEY_ID: 'KEY123', APPLE_API_ISSUER: 'issuer-uuid' };

/** Runs the hook as electron-builder would, recording the log and what reached the notarize loader. */
async function run(context: Context, env: Record<string, string | undefined>) {
  const lines: string[] = [];
  const submitted: unknown[] = [];
  let loaded = false;
  const plan = await afterSign(context, env, (line) => lines.push(line), () => {
    loaded = true;
    return { notarize: async (options: unknown) => void submitted.push(options) };
  });
  return { plan, lines, submitted, loaded };
}

describe('afterSign notarize hook (scripts/notarize.cjs)', () => {
  it('skips a Linux or Windows build even with credentials, says so, and never loads @electron/notarize', async () => {
    for (const platform of ['linux', 'win32']) {
      const result = await run({ ...mac, electronPlatformName: platform }, { ...appleId, ...apiKey });
      expect(result.plan.action).toBe('skip');
      expect(result.lines.join('\n')).toContain(`not a macOS build (${platform})`);
      expect(result.loaded).toBe(false);
    }
  });

  it('skips a macOS build without a complete set of credentials and names the variables', async () => {
    for (const env of [{}, { APPLE_ID: appleId.APPLE_ID, APPLE_TEAM_ID: appleId.APPLE_TEAM_ID }, { APPLE_API_KEY: apiKey.APPLE_API_KEY, APPLE_API_KEY_ID: apiKey.APPLE_API_KEY_ID }]) {
      const result = await run(mac, env);
      expect(result.plan.action).toBe('skip');
      expect(result.lines.join('\n')).toMatch(/no Apple credentials.*APPLE_APP_SPECIFIC_PASSWORD.*APPLE_API_ISSUER/);
      expect(result.loaded).toBe(false);
    }
  });

  it('notarizes the .app with an app-specific password', async () => {
    const result = await run(mac, appleId);
    expect(result.submitted).toEqual([{ appPath: '/build/mac/Huntaze.app', appleId: appleId.APPLE_ID, appleIdPassword: appleId.APPLE_APP_SPECIFIC_PASSWORD, teamId: appleId.APPLE_TEAM_ID }]);
    expect(result.lines.join('\n')).not.toContain(appleId.APPLE_APP_SPECIFIC_PASSWORD);
  });

  it('prefers an App Store Connect API key when both are set', async () => {
    const result = await run(mac, { ...appleId, ...apiKey });
    expect(result.submitted).toEqual([{ appPath: '/build/mac/Huntaze.app', appleApiKey: apiKey.APPLE_API_KEY, appleApiKeyId: apiKey.APPLE_API_KEY_ID, appleApiIssuer: apiKey.APPLE_API_ISSUER }]);
  });

  it('@electron/notarize resolves from the tree (electron-builder brings it) with the notarize entry point', () => {
    expect(typeof (require('@electron/notarize') as { notarize: unknown }).notarize).toBe('function');
  });

  it('electron-builder.yml wires the hook, turns its own notarize off and names the entitlements that exist', () => {
    const config = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/^afterSign: scripts\/notarize\.cjs$/m);
    expect(config).toMatch(/^ {2}notarize: false$/m);
    for (const [, file] of config.matchAll(/^ {2}entitlements(?:Inherit)?: (\S+)$/gm)) {
      const plist = readFileSync(join(ROOT, file ?? ''), 'utf8');
      expect(plist).toContain('<key>com.apple.security.cs.allow-jit</key>');
      expect(plist).not.toContain('<key>com.apple.security.cs.disable-library-validation</key>');
    }
    expect([...config.matchAll(/^ {2}entitlements(?:Inherit)?: /gm)]).toHaveLength(2);
  });
});
