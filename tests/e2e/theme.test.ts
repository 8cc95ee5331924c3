import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';
import { hostCall } from '../support/host-call';

/** The page's background as the operator sees it. */
const background = (page: Page) => page.evaluate('getComputedStyle(document.body).backgroundColor') as Promise<string>;
const LIGHT = 'rgb(246, 247, 251)';
const DARK = 'rgb(20, 21, 28)';

describe('the theme follows the operating system unless the operator picks one (browser host, Chromium)', () => {
  const { open, start, pageErrors } = useAppSession();

  it('follows the OS by default, live as the OS switches, and keeps the operator’s choice over it', async () => {
    const host = await start();
    const page = await open(host.url);
    await page.getByRole('navigation').waitFor();
    expect((await hostCall(host.url, 'settings.get', {})) as unknown).toMatchObject({ ok: true, value: { theme: 'system' } });

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => background(page)).toBe(DARK);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => background(page)).toBe(LIGHT);

    // An explicit choice wins over the OS, and "system" gives it back.
    const r = await hostCall(host.url, 'settings.update', { theme: 'dark' });
    expect(r.ok).toBe(true);
    await expect.poll(() => background(page)).toBe(DARK);
    await hostCall(host.url, 'settings.update', { theme: 'system' });
    await expect.poll(() => background(page)).toBe(LIGHT);
    expect(pageErrors).toEqual([]);
  });
});
