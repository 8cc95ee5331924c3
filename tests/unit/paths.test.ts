import { describe, expect, it } from 'vitest';
import { defaultDataDir, keychainService, resolveDataDir } from '../../main/paths';

describe('data folder and keychain namespace', () => {
  it('matches Electron userData on each platform', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Huntaze');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/ana')).toBe('/x/Huntaze');
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Huntaze');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\\\Users\\\\ana\\\\AppData\\\\Roaming' }, 'C:\\\\Users\\\\ana')).toMatch(/Roaming.Huntaze$/);
  });

  it('lets HUNTAZE_DATA_DIR override it, ignoring blanks', () => {
    expect(resolveDataDir('/default', { HUNTAZE_DATA_DIR: '/tmp/x' })).toBe('/tmp/x');
    expect(resolveDataDir('/default', { HUNTAZE_DATA_DIR: '  ' })).toBe('/default');
    expect(resolveDataDir('/default', {})).toBe('/default');
  });

  it('gives every other data folder its own keychain service', () => {
    expect(keychainService('/default', '/default')).toBe('Huntaze');
    const a = keychainService('/tmp/a', '/default');
    expect(a).toMatch(/^Huntaze \([0-9a-f]{12}\)$/);
    expect(keychainService('/tmp/b', '/default')).not.toBe(a);
    expect(keychainService('/tmp/a', '/default')).toBe(a);
  });
});
