import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY, deepLinkInArgs, deepLinkPath, isAllowedExternal, isAppUrl, resolveAppRequest } from '../../../main/app/urls';
import { useTempDirs } from '../../support/tmp';

describe('the IPC sender check', () => {
  it('accepts only pages of the app: origin', () => {
    expect(isAppUrl(APP_ENTRY, undefined)).toBe(true);
    expect(isAppUrl(`${APP_ENTRY}#/settings`, undefined)).toBe(true);
    expect(isAppUrl('app://evil/index.html', undefined)).toBe(false);
    expect(isAppUrl('file:///opt/Huntaze/resources/app.asar/out/renderer/index.html', undefined)).toBe(false);
    expect(isAppUrl('https://example.com/', undefined)).toBe(false);
    expect(isAppUrl('', undefined)).toBe(false);
    expect(isAppUrl('about:blank', undefined)).toBe(false);
  });

  it('in development accepts only the dev server origin', () => {
    expect(isAppUrl('http://localhost:5173/settings', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl(APP_ENTRY, 'http://localhost:5173')).toBe(false);
  });
});

describe('the app: protocol serves the built renderer and nothing else', () => {
  const tempDir = useTempDirs();
  const renderer = () => {
    const dir = tempDir();
    const root = join(dir, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'index-1.js'), '');
    writeFileSync(join(root, 'assets', 'notes.txt'), '');
    writeFileSync(join(dir, 'secret.json'), '{}');
    symlinkSync(join(dir, 'secret.json'), join(root, 'assets', 'out.json'));
    return root;
  };

  it('answers the entry page, assets with their type, and not found for missing files or unknown types', () => {
    const root = renderer();
    expect(resolveAppRequest('app://huntaze/', root)).toEqual({ kind: 'file', path: join(realpathSync(root), 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(resolveAppRequest('app://huntaze/index.html#/campaigns', root)).toMatchObject({ kind: 'file', contentType: 'text/html; charset=utf-8' });
    expect(resolveAppRequest('app://huntaze/assets/index-1.js?v=1', root)).toMatchObject({ kind: 'file', contentType: 'text/javascript; charset=utf-8' });
    expect(resolveAppRequest('app://huntaze/assets/missing.js', root)).toEqual({ kind: 'not_found' });
    expect(resolveAppRequest('app://huntaze/assets/notes.txt', root)).toEqual({ kind: 'not_found' });
    expect(resolveAppRequest('app://huntaze/assets', root)).toEqual({ kind: 'not_found' });
  });

  it('refuses every way out of the root: dot segments in any spelling, backslashes, NUL, a symlink out, another host or scheme', () => {
    const root = renderer();
    for (const url of [
      'app://huntaze/assets%2F..%2F..%2Fsecret.json',
      'app://huntaze/..%2Fsecret.json',
      'app://huntaze/assets/..%5C..%5Csecret.json',
      'app://huntaze/index.html%00.js',
      'app://huntaze/assets/out.json',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://huntaze/%E0%A4%A',
    ]) {
      expect(resolveAppRequest(url, root), url).toEqual({ kind: 'forbidden' });
    }
  });

  it('never hands out a file outside the root, whatever the path (property)', () => {
    const root = renderer();
    const base = realpathSync(root);
    const segment = fc.constantFrom('..', '.', '%2e%2e', '%2E.', 'assets', 'index.html', '%2F', '%5C', '%00', 'secret.json', 'out.json', 'index-1.js', '');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (parts) => {
        const r = resolveAppRequest(`app://huntaze/${parts.join('/')}`, root);
        if (r.kind === 'file') expect(relative(base, r.path).startsWith('..')).toBe(false);
      }),
    );
  });
});

describe('links that may leave the app', () => {
  it('opens only https links to the provider consoles and docs the app names', () => {
    expect(isAllowedExternal('https://portal.azure.com/#home')).toBe(true);
    expect(isAllowedExternal('https://learn.microsoft.com/azure/ai-services/openai/')).toBe(true);
    expect(isAllowedExternal('https://platform.openai.com/usage')).toBe(true);
    expect(isAllowedExternal('http://portal.azure.com/')).toBe(false);
    expect(isAllowedExternal('https://portal.azure.com.evil.example/')).toBe(false);
    expect(isAllowedExternal('https://evilportal.azure.com.example/')).toBe(false);
    expect(isAllowedExternal('https://user@platform.openai.com/')).toBe(false);
    expect(isAllowedExternal('https://platform.openai.com:8443/')).toBe(false);
    expect(isAllowedExternal('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternal('not a url')).toBe(false);
  });
});

describe('huntaze:// deep links', () => {
  it('opens a campaign by id and nothing else', () => {
    expect(deepLinkPath('huntaze://campaign/01a218e0-07f3-7e41-9ed7-71c7a8831ce4')).toBe('/campaigns/01a218e0-07f3-7e41-9ed7-71c7a8831ce4');
    expect(deepLinkPath('huntaze://campaign/abc/')).toBe('/campaigns/abc');
    expect(deepLinkPath('huntaze://campaign/')).toBeNull();
    expect(deepLinkPath('huntaze://campaign/a%2F..%2Fsettings')).toBeNull();
    expect(deepLinkPath('huntaze://campaign/abc?x=1')).toBeNull();
    expect(deepLinkPath('huntaze://settings/providers')).toBeNull();
    expect(deepLinkPath('https://campaign/abc')).toBeNull();
    expect(deepLinkPath('huntaze://campaign/' + 'a'.repeat(65))).toBeNull();
  });

  it('finds the link among a second instance’s arguments', () => {
    expect(deepLinkInArgs(['/opt/Huntaze/huntaze', '--no-sandbox', 'huntaze://campaign/c-1'])).toBe('/campaigns/c-1');
    expect(deepLinkInArgs(['/opt/Huntaze/huntaze', 'huntaze://settings', 'huntaze://campaign/c-2'])).toBe('/campaigns/c-2');
    expect(deepLinkInArgs(['/opt/Huntaze/huntaze'])).toBeNull();
  });
});
