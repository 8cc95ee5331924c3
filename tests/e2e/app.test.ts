import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../main/db/open';
import { useAppSession } from '../support/app-session';
import { useTempDirs } from '../support/tmp';

describe('the app in Chromium against npm run start:web', () => {
  const tempDir = useTempDirs();
  const { open, start, pageErrors } = useAppSession();

  it('opens on Home, and Health shows the live database status and schema version', async () => {
    const host = await start(tempDir());
    const page = await open(host.url);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Home');
    await page.getByRole('navigation').getByRole('link', { name: 'Health', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Health');
    await page.getByTestId('health-db').filter({ hasText: 'Open' }).waitFor();
    expect(await page.getByTestId('health-schema').textContent()).toBe(`${LATEST_SCHEMA_VERSION} of ${LATEST_SCHEMA_VERSION}`);
    expect(await page.getByTestId('health-status').textContent()).toBe('All good');
    expect(pageErrors).toEqual([]);
  });

  it('changes a setting, keeps it across a reload and a host restart, and speaks French', async () => {
    const dataDir = tempDir();
    const host = await start(dataDir);
    const page = await open(host.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    const name = page.getByLabel('Display name');
    await name.fill('Lena from night shift');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();

    await page.reload();
    await expect.poll(() => page.getByLabel('Display name').inputValue()).toBe('Lena from night shift');

    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Réglages' }).waitFor();
    expect(await page.getByRole('link', { name: 'Campagnes' }).isVisible()).toBe(true);
    expect(await page.getByLabel('Nom affiché').inputValue()).toBe('Lena from night shift');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');

    await page.reload();
    await page.getByRole('heading', { name: 'Réglages' }).waitFor();

    await page.close();
    await host.stop();
    const again = await start(dataDir);
    const second = await open(again.url);
    await second.getByRole('heading', { name: 'Accueil' }).waitFor();
    await second.getByRole('link', { name: 'Réglages' }).click();
    await expect.poll(() => second.getByLabel('Nom affiché').inputValue()).toBe('Lena from night shift');
    expect(pageErrors).toEqual([]);
  });

  it('refuses to save an empty display name and says why', async () => {
    const host = await start(tempDir());
    const page = await open(host.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Display name').fill('   ');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'Please check the highlighted fields.' }).waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel('Display name').inputValue()).toBe('Operator');
  });

  it('shows an honest empty state on pages not built yet, and applies the theme', async () => {
    const host = await start(tempDir());
    const page = await open(host.url);
    await page.getByRole('link', { name: 'Optimization' }).click();
    await page.getByTestId('empty-state').filter({ hasText: 'Not built yet' }).waitFor();
    expect(await page.getByTestId('empty-state').textContent()).toContain('cheaper AI routing');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
  });

  it('tells the operator when the page was opened without its token', async () => {
    const host = await start(tempDir());
    const page = await open(host.url.replace(/#.*$/, ''));
    await page.getByTestId('connection-banner').filter({ hasText: 'without its access token' }).waitFor();
  });
});
