import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { useAppSession } from '../support/app-session';
import { useTempDirs } from '../support/tmp';

describe('routes, history and focus in Chromium against the browser host', () => {
  const tempDir = useTempDirs();
  const { open, start, pageErrors } = useAppSession();

  const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });
  const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });
  const path = (page: Page) => new URL(page.url()).pathname;
  /** The focused element's id and text. */
  const focused = async (page: Page) => {
    const element = page.locator('*:focus');
    return { id: await element.getAttribute('id'), text: await element.textContent() };
  };
  const heading = (page: Page) => page.getByRole('heading', { level: 1 });

  async function expectPage(page: Page, at: string, title: string) {
    await expect.poll(() => path(page)).toBe(at);
    await expect.poll(() => heading(page).textContent()).toBe(title);
  }

  it('walks Back and Forward through pages and Settings sections, with the URL and the focus in step', async () => {
    const host = await start();
    const page = await open(host.url);
    await expectPage(page, '/', 'Home');
    expect(await nav(page, 'Home').getAttribute('aria-current')).toBe('page');

    await nav(page, 'Costs').click();
    await expectPage(page, '/costs', 'Costs');
    expect(await focused(page)).toEqual({ id: 'page-title', text: 'Costs' });
    expect(await nav(page, 'Costs').getAttribute('aria-current')).toBe('page');
    expect(await nav(page, 'Home').getAttribute('aria-current')).toBeNull();

    await nav(page, 'Settings').click();
    await expectPage(page, '/settings', 'Settings');
    expect(await focused(page)).toEqual({ id: 'page-title', text: 'Settings' });
    await tab(page, 'AI providers').click();
    await page.getByTestId('provider-azure').waitFor();
    expect(path(page)).toBe('/settings/providers');
    // A tab keeps the focus on itself, as the tabs pattern expects.
    expect(await focused(page)).toEqual({ id: 'settings-tab-providers', text: 'AI providers' });
    await tab(page, 'About').click();
    await page.getByTestId('about-settings').waitFor();
    expect(path(page)).toBe('/settings/about');

    await page.goBack();
    await page.getByTestId('provider-azure').waitFor();
    expect(path(page)).toBe('/settings/providers');
    expect(await tab(page, 'AI providers').getAttribute('aria-selected')).toBe('true');
    expect(await focused(page)).toEqual({ id: 'page-title', text: 'Settings' });

    await page.goBack();
    await page.getByLabel('Display name').waitFor();
    expect(path(page)).toBe('/settings');
    expect(await tab(page, 'General').getAttribute('aria-selected')).toBe('true');

    await page.goBack();
    await expectPage(page, '/costs', 'Costs');
    expect(await focused(page)).toEqual({ id: 'page-title', text: 'Costs' });

    await page.goForward();
    await expectPage(page, '/settings', 'Settings');
    await page.goForward();
    await page.getByTestId('provider-azure').waitFor();
    expect(path(page)).toBe('/settings/providers');
    expect(await focused(page)).toEqual({ id: 'page-title', text: 'Settings' });
    expect(pageErrors).toEqual([]);
  });

  it('lands on Settings → AI providers again after a reload there, still connected', async () => {
    const host = await start();
    const page = await open(host.url);
    await nav(page, 'Settings').click();
    await tab(page, 'AI providers').click();
    await page.getByTestId('provider-azure').waitFor();

    await page.reload();
    await page.getByTestId('provider-azure').getByLabel('Deployment name', { exact: true }).waitFor();
    expect(path(page)).toBe('/settings/providers');
    expect(await tab(page, 'AI providers').getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('connection-banner').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('opens a campaign by its address and says so when an address leads nowhere', async () => {
    const host = await start();
    const page = await open(host.url);
    await expectPage(page, '/', 'Home');
    const origin = new URL(host.url).origin;

    // Typed into the address bar: a fresh load at a nested path, the token kept by the tab.
    await page.goto(`${origin}/campaigns/abc123`);
    await expectPage(page, '/campaigns/abc123', 'Campaign');
    expect(await page.getByTestId('campaign-id').textContent()).toBe('abc123');
    expect(await nav(page, 'Campaigns').getAttribute('aria-current')).toBe('page');

    await page.goto(`${origin}/settings/nonsense`);
    await heading(page).filter({ hasText: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to Home' }).click();
    await expectPage(page, '/', 'Home');
    await nav(page, 'Health').click();
    await expectPage(page, '/health', 'Health');
    await page.getByTestId('health-db').filter({ hasText: 'Open' }).waitFor();
    expect(await page.getByTestId('connection-banner').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('shows a change made in one page in another page open on the same host, without a reload', async () => {
    const host = await start();
    const a = await open(host.url);
    const b = await open(host.url);
    await nav(a, 'Settings').click();
    await nav(b, 'Settings').click();
    await expect.poll(() => b.getByLabel('Display name').inputValue()).toBe('Operator');

    await a.getByLabel('Display name').fill('Night shift');
    await a.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => b.getByLabel('Display name').inputValue()).toBe('Night shift');

    await a.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => b.locator('html').getAttribute('data-theme')).toBe('dark');

    await tab(a, 'AI providers').click();
    await tab(b, 'AI providers').click();
    // Cards fold to a summary row; the first one still to set up (Azure) starts open.
    for (const page of [a, b]) await page.getByRole('button', { name: 'Edit OpenAI', exact: true }).click();
    const keyStatus = b.getByTestId('provider-openai').getByTestId('key-status');
    await keyStatus.filter({ hasText: 'No key' }).waitFor();
    await a.getByTestId('provider-openai').getByLabel('API key', { exact: true }).fill('sk-two-windows-0123456789');
    await a.getByTestId('provider-openai').getByRole('button', { name: 'Save', exact: true }).click();
    await keyStatus.filter({ hasText: 'Key set' }).waitFor();

    // Sandbox mode swaps the profile: the other page's banner and key fields follow.
    await tab(a, 'General').click();
    await a.getByRole('switch', { name: 'Sandbox mode' }).check();
    await b.getByTestId('sandbox-banner').waitFor();
    await b.getByTestId('provider-openai').getByTestId('sandbox-keys-note').filter({ hasText: 'Sandbox mode uses no keys' }).waitFor();
    expect(await b.getByTestId('provider-openai').getByLabel('API key', { exact: true }).count()).toBe(0);

    await a.getByLabel('Language').selectOption('fr');
    await heading(b).filter({ hasText: 'Réglages' }).waitFor();
    expect(await b.locator('html').getAttribute('lang')).toBe('fr');
    expect(pageErrors).toEqual([]);
  });

  it('tells where the logs are in Settings → About, and says so when no file manager can open them', async () => {
    const dataDir = tempDir();
    // No opener on the PATH: the headless machine the browser host is made for.
    const host = await start(dataDir, { PATH: tempDir() });
    const page = await open(host.url);
    await nav(page, 'Settings').click();
    await tab(page, 'About').click();
    const about = page.getByTestId('about-settings');
    await about.getByTestId('about-version').waitFor();
    expect(await about.getByTestId('about-name').textContent()).toBe('Huntaze');
    expect(await about.getByTestId('about-version').textContent()).toBe(pkg.version);
    expect(await about.getByTestId('about-host').textContent()).toBe('Browser host (npm run start:web)');
    expect(await about.getByTestId('logs-dir').textContent()).toBe(join(dataDir, 'logs'));
    // Updates come with the desktop app: the browser host says so and offers nothing to click.
    const updates = about.getByTestId('updates-card');
    await updates.getByTestId('update-state').filter({ hasText: 'Updates come with the desktop app' }).waitFor();
    expect(await updates.getByRole('button').count()).toBe(0);

    await about.getByRole('button', { name: 'Open logs folder' }).click();
    await about.getByTestId('logs-not-opened').filter({ hasText: 'No file manager could be opened' }).waitFor();
    expect(await about.getByTestId('logs-dir').textContent()).toBe(join(dataDir, 'logs'));
    expect(pageErrors).toEqual([]);
  });
});
