import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';

/** Four good fans and two bad rows (line 3: spend, line 5: a date that is not ISO). */
const CSV_WITH_TWO_BAD_ROWS = [
  'fan id;name;total spend;subscribed date;tags',
  'e2e-1;ann;12,50;2026-01-02;vip',
  'e2e-2;bob;lots;2026-01-02;',
  'e2e-3;cy;3;2026-01-05;new',
  'e2e-4;di;0;31/01/2026;new',
  'e2e-5;ed;1 250,00;2026-02-02;vip|tipper',
  'e2e-6;flo;0;;',
].join('\n');

const file = (name: string, content: string | Buffer) => ({ name, mimeType: 'text/csv', buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });

/** Serious and critical axe findings inside the open fans panel. */
async function axeFindings(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).include('[data-testid="fans-panel"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/**
 * The fans panel of a demo creator in Chromium against the browser host, Sandbox mode: the file
 * goes up through the upload road (no path), is imported by the core, and the panel words the result.
 */
describe('Fans panel in Settings → Accounts, in Chromium against the browser host', () => {
  const { open, start, pageErrors } = useAppSession();

  async function miaFans(page: Page, language: 'en' | 'fr' = 'en', theme: 'light' | 'dark' = 'light'): Promise<Locator> {
    await page.getByRole('navigation').waitFor();
    await page.goto(new URL('/settings', page.url()).href);
    await page.getByRole('switch').check();
    await page.getByTestId('sandbox-banner').waitFor();
    if (theme !== 'light') {
      await page.locator('select#theme').selectOption(theme);
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
    }
    if (language !== 'en') {
      await page.locator('select#language').selectOption(language);
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
    }
    await page.goto(new URL('/settings/accounts', page.url()).href);
    const row = page.getByTestId('account-row').filter({ hasText: 'Mia Rose' });
    await row.locator('summary', { hasText: language === 'en' ? 'Fans of Mia Rose' : 'Fans de Mia Rose' }).click();
    const panel = row.getByTestId('fans-panel');
    await panel.getByTestId('fans-segments').waitFor();
    return panel;
  }

  it('imports the valid rows of a file with two bad ones, lists those by line and reason; all-or-nothing imports nothing; axe-clean', async () => {
    const host = await start();
    const page = await open(host.url);
    const panel = await miaFans(page);
    await panel.getByRole('heading', { name: '0 fans' }).waitFor();

    await panel.getByLabel('CSV file of fans').setInputFiles(file('fans.csv', CSV_WITH_TWO_BAD_ROWS));
    await panel.getByLabel('Only if every row is valid').check();
    await panel.getByRole('button', { name: 'Import CSV…' }).click();
    const result = panel.getByTestId('fans-import-result');
    await result.getByText('Nothing was imported: 2 rows have problems.', { exact: false }).waitFor();
    expect(await panel.getByTestId('fans-bad-rows').locator('li').allTextContents()).toEqual([
      'Line 3: the total spend is not an amount (write 12.50, 12,50 or $1,250.00).',
      'Line 5: the subscribed date is not a date (write it as 2026-03-31).',
    ]);
    await panel.getByRole('heading', { name: '0 fans' }).waitFor();

    await panel.getByLabel('Import the valid rows').check();
    await panel.getByRole('button', { name: 'Import CSV…' }).click();
    await result.getByText('Imported: 4 new, 0 updated, 2 skipped.').waitFor();
    expect(await panel.getByTestId('fans-bad-rows').locator('li').count()).toBe(2);
    // The counts follow the import (audiences.changed), without a reload.
    await panel.getByRole('heading', { name: '4 fans' }).waitFor();
    const segment = (name: string) => panel.getByTestId('fans-segments').locator(`[data-segment="${name}"] dd`).textContent();
    // ed's 1 250,00 is a French amount of $1,250: a whale; flo spent nothing.
    expect([await segment('whales'), await segment('regulars'), await segment('non_spenders')]).toEqual(['1', '2', '1']);

    expect(await axeFindings(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('sends a multi-chunk file through the socket and imports every row', async () => {
    const host = await start();
    const page = await open(host.url);
    const panel = await miaFans(page);
    // Over two chunks of the upload road (1 MiB each).
    const rows = Array.from({ length: 30_000 }, (_, i) => `big-${i},user ${i},${i % 500}.25,2026-01-${String((i % 28) + 1).padStart(2, '0')},${'n'.repeat(60)}`);
    const csv = ['fan id,name,total spend,subscribed date,notes', ...rows].join('\n');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(2 * 1024 * 1024);
    await panel.getByLabel('CSV file of fans').setInputFiles(file('big.csv', csv));
    await panel.getByRole('button', { name: 'Import CSV…' }).click();
    await panel.getByTestId('fans-import-result').getByText('Imported: 30,000 new, 0 updated, 0 skipped.').waitFor({ timeout: 30_000 });
    await panel.getByRole('heading', { name: '30,000 fans' }).waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('refuses a binary file in words (French, dark theme), then fetches the Sandbox creator’s fans from the OnlyFans sandbox', async () => {
    const host = await start();
    const page = await open(host.url);
    const panel = await miaFans(page, 'fr', 'dark');
    await panel.getByLabel('Fichier CSV des fans').setInputFiles(file('photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])));
    await panel.getByRole('button', { name: 'Importer un CSV…' }).click();
    await expect.poll(() => panel.getByTestId('fans-import-error').textContent()).toContain("Ce n'est pas un fichier texte");
    await panel.getByRole('heading', { name: '0 fan' }).waitFor();

    await panel.getByRole('button', { name: 'Récupérer depuis OnlyFans' }).click();
    const fetched = panel.getByTestId('fans-fetch-result');
    await fetched.waitFor();
    const imported = Number(/(\d+) nouveaux/.exec((await fetched.textContent()) ?? '')?.[1]);
    expect(imported).toBeGreaterThan(0);
    await panel.getByRole('heading', { name: `${imported} fans` }).waitFor();
    expect(await axeFindings(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
