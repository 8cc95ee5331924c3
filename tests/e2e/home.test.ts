import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';

describe('Home as a first-run operator sees it, in Chromium against the browser host', () => {
  const { open, start, pageErrors } = useAppSession();

  const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });
  const path = (page: Page) => new URL(page.url()).pathname;
  const heading = (page: Page) => page.getByRole('heading', { level: 1 });
  const micros = async (page: Page, testId: string) => Number(await page.getByTestId(testId).getAttribute(testId.endsWith('chart') ? 'data-total-micros' : 'data-micros'));

  it('explores demo data from a fresh data folder: the Costs page shows the history, and live shows none of it', async () => {
    const host = await start();
    const page = await open(host.url);
    await expect.poll(() => heading(page).textContent()).toBe('Home');
    expect(path(page)).toBe('/');
    expect(await nav(page, 'Home').getAttribute('aria-current')).toBe('page');
    const firstRun = page.getByTestId('home-first-run');
    await firstRun.waitFor();
    expect(await page.getByTestId('sandbox-banner').count()).toBe(0);
    await firstRun.getByRole('link', { name: 'Set up AI providers' }).waitFor();

    await firstRun.getByRole('button', { name: 'Explore with demo data' }).click();
    await page.getByTestId('sandbox-banner').waitFor();
    const sandboxNotice = page.getByTestId('home-sandbox');
    await sandboxNotice.waitFor();
    expect(await firstRun.count()).toBe(0);
    await expect.poll(() => micros(page, 'home-spend-thisMonth')).toBeGreaterThan(0);
    expect(await micros(page, 'home-spend-today')).toBeGreaterThan(0);
    // Provider status comes from its own query: wait for it, do not read it once.
    await expect.poll(() => page.getByTestId('home-provider').count()).toBe(3);
    await expect.poll(() => page.getByTestId('home-provider').first().getAttribute('data-status')).toBe('ready');

    const homeMonth = await micros(page, 'home-spend-thisMonth');
    await page.getByTestId('home-spend').getByRole('link', { name: 'See costs' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Costs');
    await page.getByTestId('daily-chart').locator('canvas').waitFor();
    await expect.poll(() => micros(page, 'month-to-date')).toBe(homeMonth);
    await expect.poll(() => micros(page, 'stat-last30Days')).toBeGreaterThan(0);
    await expect.poll(() => micros(page, 'daily-chart')).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('breakdown-row').count()).toBe(3);

    // The request log shows the same seeded history, a page of it at a time.
    await nav(page, 'Requests').click();
    await expect.poll(() => page.getByTestId('request-row').count()).toBe(50);
    expect(await page.locator('[data-testid="request-row"][data-provider="azure"]').count()).toBeGreaterThan(0);
    await page.goBack();

    // Back returns to Home, within the app.
    await page.goBack();
    await expect.poll(() => heading(page).textContent()).toBe('Home');
    expect(path(page)).toBe('/');

    await sandboxNotice.getByRole('button', { name: 'Switch back to my real data' }).click();
    await expect.poll(() => page.getByTestId('sandbox-banner').count()).toBe(0);
    // Demo explored: Home is the dashboard now, showing live's empty figures and the way to set up providers.
    await page.getByTestId('home-setup').waitFor();
    await expect.poll(() => micros(page, 'home-spend-thisMonth')).toBe(0);
    expect(await page.getByTestId('home-first-run').count()).toBe(0);

    await nav(page, 'Costs').click();
    await page.getByTestId('costs-empty').waitFor();
    expect(await page.getByTestId('daily-chart').count()).toBe(0);
    expect(await page.getByTestId('breakdown-row').count()).toBe(0);
    await nav(page, 'Requests').click();
    await page.getByTestId('requests-empty').waitFor();
    expect(await page.getByTestId('request-row').count()).toBe(0);

    // The demo is kept: Home leads back to it in one click.
    await nav(page, 'Home').click();
    await page.getByTestId('home-setup').getByRole('button', { name: 'Look at the demo data again' }).click();
    await page.getByTestId('home-sandbox').waitFor();
    await expect.poll(() => micros(page, 'home-spend-thisMonth')).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  it('leads to Settings → AI providers, and Back comes home', async () => {
    const host = await start();
    const page = await open(host.url);
    const firstRun = page.getByTestId('home-first-run');
    await firstRun.waitFor();
    await firstRun.getByRole('link', { name: 'Set up AI providers' }).click();
    await page.getByTestId('provider-azure').waitFor();
    expect(path(page)).toBe('/settings/providers');
    await page.goBack();
    await firstRun.waitFor();
    expect(path(page)).toBe('/');
    await page.goForward();
    await page.getByTestId('provider-azure').waitFor();
    await nav(page, 'Home').click();
    await firstRun.waitFor();
    expect(path(page)).toBe('/');
    expect(pageErrors).toEqual([]);
  });
});
