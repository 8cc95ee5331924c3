import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';

/** Settings → Accounts in Chromium against the browser host: the form's errors, in both languages, and a good save. */
describe('Settings → Accounts, in Chromium against the browser host', () => {
  const { open, start, pageErrors } = useAppSession();

  async function openAccounts(page: Page, tab: string) {
    await page.goto(new URL('/settings/accounts', page.url()).href);
    await page.getByRole('tab', { name: tab, selected: true }).waitFor();
  }

  async function fillBad(page: Page) {
    const form = page.getByTestId('account-form');
    await form.locator('#account-platform-id').fill('has space');
    await form.locator('#account-transport').selectOption('onlyfans_http');
    await form.locator('#account-base-url').fill('http://api.example.com');
    await form.locator('#account-per-minute').fill('0');
    await form.getByRole('button', { name: /Save|Enregistrer/ }).click();
    return form;
  }

  it('shows each problem next to its field, then saves a good account, lists it, and refuses its platform id twice', async () => {
    const host = await start();
    const page = await open(host.url);
    await page.getByRole('navigation').waitFor();
    await openAccounts(page, 'Accounts');
    await page.getByTestId('accounts-empty').filter({ hasText: 'No accounts yet' }).waitFor();
    await page.getByRole('button', { name: 'Add an account' }).click();

    const form = await fillBad(page);
    await form.locator('#account-name-note.error').filter({ hasText: 'Must have at least 1 characters.' }).waitFor();
    expect(await form.locator('#account-platform-id-note').textContent()).toMatch(/^Use 1 to 64 letters/);
    expect(await form.locator('#account-base-url-note').textContent()).toBe('Must use https (api.example.com is not this computer, and the API key would travel in clear).');
    expect(await form.locator('#account-per-minute-note').textContent()).toBe('Must be at least 1.');
    expect(await form.locator('#account-name').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByRole('alert').textContent()).toBe('Please check the highlighted fields.');

    await form.locator('#account-name').fill('Mia Rose');
    await form.locator('#account-platform-id').fill('mia.rose');
    await form.locator('#account-base-url').fill('https://api.example.com');
    await form.locator('#account-per-minute').fill('8');
    await form.locator('#account-api-key').fill('of-key-123');
    await form.getByRole('button', { name: 'Save' }).click();
    const row = page.getByTestId('account-row').filter({ hasText: 'Mia Rose' });
    await row.waitFor();
    expect(await row.textContent()).toContain('mia.rose · OnlyFans API (HTTP) · 8/min, 3 s apart · key set');
    expect(await page.content()).not.toContain('of-key-123');

    await page.getByRole('button', { name: 'Add an account' }).click();
    const again = page.getByTestId('account-form');
    await again.locator('#account-name').fill('Copy');
    await again.locator('#account-platform-id').fill('mia.rose');
    await again.getByRole('button', { name: 'Save' }).click();
    await again.locator('#account-platform-id-note.error').filter({ hasText: 'Another account already uses this platform account id.' }).waitFor();
    expect(await page.getByTestId('account-row').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('words the same errors in French', async () => {
    const host = await start();
    const page = await open(host.url);
    await page.getByRole('navigation').waitFor();
    await page.goto(new URL('/settings', page.url()).href);
    await page.locator('select#language').selectOption('fr');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');
    await openAccounts(page, 'Comptes');
    await page.getByRole('button', { name: 'Ajouter un compte' }).click();
    const form = await fillBad(page);
    await form.locator('#account-name-note.error').waitFor();
    expect(await form.locator('#account-platform-id-note').textContent()).toMatch(/^Utilisez 1 à 64 lettres/);
    expect(await form.locator('#account-base-url-note').textContent()).toMatch(/^Doit utiliser https/);
    expect(await form.getByRole('alert').textContent()).toBe('Vérifiez les champs signalés.');
    expect(pageErrors).toEqual([]);
  });
});
