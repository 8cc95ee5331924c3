import { afterEach, describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';
import { useTempDirs } from '../support/tmp';
import { type HostProcess, startHostProcess } from '../support/web-process';

const portOf = (url: string) => new URL(url).port;
/** The printed link, opened on Health whichever page the app lands on. */
const onHealth = (url: string) => url.replace('/#', '/health#');

describe('an open tab across host restarts (browser host)', () => {
  const tempDir = useTempDirs();
  const { open, start, pageErrors } = useAppSession();
  // Hosts this file starts itself (on a chosen port); the session's own are stopped by it.
  const mine: HostProcess[] = [];
  afterEach(async () => {
    for (const host of mine.splice(0)) await host.stop('SIGKILL');
  });

  // Two host starts and a reconnection backing off up to 5 s: more than the default budget on a busy machine.
  it('disables Save and says it is reconnecting while the host is down, then reconnects by itself on the same data folder', { timeout: 90_000 }, async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const page = await open(onHealth(first.url));
    await page.getByTestId('health-db').filter({ hasText: 'Open' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    const save = page.getByRole('button', { name: 'Save', exact: true });
    await expect.poll(() => save.isEnabled()).toBe(true);
    // Survives only if the tab is never reloaded: reconnecting is the page's own doing.
    await page.evaluate(() => ((globalThis as unknown as { marker: string }).marker = 'same page'));
    await page.getByLabel('Display name').fill('Draft typed before');

    // Every page's code is fetched once the first screen is up…
    // (every chunk of every page: on a loaded machine that takes longer than the default wait)
    await expect.poll(() => page.locator('html').getAttribute('data-pages'), { timeout: 30_000 }).toBe('ready');

    await first.stop('SIGTERM');
    const banner = page.getByTestId('connection-banner');
    await banner.filter({ hasText: 'Reconnecting' }).waitFor();

    expect(await banner.textContent()).toContain('Changes are paused');
    await expect.poll(() => save.isDisabled()).toBe(true);
    // What was typed stays while the host is away.
    expect(await page.getByLabel('Display name').inputValue()).toBe('Draft typed before');
    // A page read before the host went shows what it last had, not an error.
    await page.getByRole('link', { name: 'Health' }).click();
    await page.getByTestId('health-db').filter({ hasText: 'Open' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    // …so a page never opened before still opens while the host is away.
    await page.getByRole('link', { name: 'Costs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Costs' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();

    const second = await start(dataDir);
    expect(portOf(second.url)).toBe(portOf(first.url));
    expect(second.url).not.toBe(first.url);
    await banner.waitFor({ state: 'detached' });
    await expect.poll(() => save.isEnabled()).toBe(true);
    await page.getByLabel('Display name').fill('Back after a restart');
    await save.click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: string }).marker)).toBe('same page');
    expect(pageErrors.filter((e) => !/WebSocket|Failed to load resource|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
  });

  it('asks for the new link when the host that comes back serves another data folder, and the new link works', { timeout: 90_000 }, async () => {
    const first = await start(tempDir());
    const page = await open(onHealth(first.url));
    await page.getByRole('heading', { level: 1, name: 'Health' }).waitFor();
    await first.stop('SIGTERM');
    await page.getByTestId('connection-banner').filter({ hasText: 'Reconnecting' }).waitFor();

    const other = await startHostProcess(tempDir(), ['--port', portOf(first.url)]);
    mine.push(other);
    const banner = page.getByTestId('connection-banner');
    await banner.filter({ hasText: 'Open the new link the Huntaze host printed.' }).waitFor();
    expect(await banner.getAttribute('data-state')).toBe('foreign');
    expect(await page.getByRole('link', { name: 'Settings' }).isVisible()).toBe(true);

    // Only the fragment differs from the address the tab is at: the reload is what a new tab would do.
    await page.goto(onHealth(other.url));
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Health' }).waitFor();
    await page.getByTestId('health-db').filter({ hasText: 'Open' }).waitFor();
    expect(await banner.count()).toBe(0);
  });
});
