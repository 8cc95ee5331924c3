import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../../main/app/urls';

describe('the IPC sender check', () => {
  const file = '/opt/Huntaze/resources/app.asar/out/renderer/index.html';

  it('accepts only the packaged renderer file', () => {
    expect(isAppUrl(`file://${file}`, undefined, file)).toBe(true);
    expect(isAppUrl(`file://${file}#settings`, undefined, file)).toBe(true);
    expect(isAppUrl('file:///tmp/evil/index.html', undefined, file)).toBe(false);
    expect(isAppUrl('https://example.com/', undefined, file)).toBe(false);
    expect(isAppUrl('', undefined, file)).toBe(false);
    expect(isAppUrl('about:blank', undefined, file)).toBe(false);
  });

  it('accepts the Windows form of the packaged file', () => {
    const win = 'C:\\Program Files\\Huntaze\\resources\\app.asar\\out\\renderer\\index.html';
    expect(isAppUrl('file:///C:/Program%20Files/Huntaze/resources/app.asar/out/renderer/index.html', undefined, win)).toBe(true);
  });

  it('in development accepts only the dev server origin', () => {
    expect(isAppUrl('http://localhost:5173/settings', 'http://localhost:5173', file)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173', file)).toBe(false);
    expect(isAppUrl(`file://${file}`, 'http://localhost:5173', file)).toBe(false);
  });
});
