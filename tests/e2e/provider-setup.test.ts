import { createServer, type AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';

describe('Provider setup that cannot be wrong, in Chromium', () => {
  const { open, start, pageErrors } = useAppSession();

  async function openProviders(page: Page, lang: 'en' | 'fr' = 'en'): Promise<Locator> {
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    if (lang === 'fr') await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('tab', { name: lang === 'fr' ? 'Fournisseurs d’IA' : 'AI providers' }).click();
    const azure = page.getByTestId('provider-azure');
    // The first provider still to set up starts open.
    await azure.getByLabel(lang === 'fr' ? 'Nom du déploiement' : 'Deployment name', { exact: true }).waitFor();
    return azure;
  }
  const note = (card: Locator, field: string) => card.locator(`#azure-${field}-note.error`);

  it('fills endpoint, deployment and API version from a pasted Azure URL, and saves them', async () => {
    const host = await start();
    const page = await open(host.url);
    const azure = await openProviders(page);
    const endpoint = azure.getByLabel('Endpoint', { exact: true });
    await endpoint.fill('  https://contoso-eu.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=2025-04-01-preview ');
    expect(await endpoint.inputValue()).toBe('https://contoso-eu.openai.azure.com');
    expect(await azure.getByLabel('Deployment name', { exact: true }).inputValue()).toBe('prod-4o');
    expect(await azure.getByLabel('API version', { exact: true }).inputValue()).toBe('2025-04-01-preview');
    await azure.getByText('Filled in from the address you pasted').waitFor();
    await azure.getByTestId('unsaved').waitFor();

    await azure.getByLabel('Deployment type').selectOption('regional');
    await azure.getByRole('button', { name: 'Save', exact: true }).click();
    await azure.getByRole('status').filter({ hasText: 'Provider settings saved.' }).waitFor();
    await page.reload();
    const again = page.getByTestId('provider-azure');
    await expect.poll(() => again.getByLabel('Deployment name', { exact: true }).inputValue()).toBe('prod-4o');
    expect(await again.getByLabel('Endpoint', { exact: true }).inputValue()).toBe('https://contoso-eu.openai.azure.com');
    expect(await again.getByLabel('Deployment type').inputValue()).toBe('regional');
    expect(pageErrors).toEqual([]);
  });

  it('refuses an http:// endpoint, an unknown model and crossed timeouts, each in words, in English then French', async () => {
    const host = await start();
    const page = await open(host.url);
    let azure = await openProviders(page);
    const save = () => azure.getByRole('button', { name: /^(Save|Enregistrer)$/ }).click();

    // Checked in the form before sending: the same rules main applies.
    await azure.getByLabel('Endpoint', { exact: true }).fill('http://contoso.openai.azure.com');
    await azure.getByLabel('First-byte timeout (ms)').fill('90000');
    await azure.getByLabel('Total timeout (ms)').fill('30000');
    await save();
    await note(azure, 'endpoint').filter({ hasText: 'Use an https:// address' }).waitFor();
    await note(azure, 'firstByte').filter({ hasText: 'cannot be longer than the total timeout' }).waitFor();

    // The price check needs the price table: main answers it, per field.
    await azure.getByLabel('Endpoint', { exact: true }).fill('https://contoso.openai.azure.com');
    await azure.getByLabel('First-byte timeout (ms)').fill('15000');
    await azure.getByLabel('Base model', { exact: true }).fill('contoso-finetune-7b');
    await save();
    await note(azure, 'baseModel').filter({ hasText: 'The price list does not know contoso-finetune-7b' }).waitFor();
    expect(await note(azure, 'endpoint').count()).toBe(0);

    // Leaving for Settings → General asks first (unsaved changes); leave, and type it all again in French.
    page.once('dialog', (dialog) => void dialog.accept());
    azure = await openProviders(page, 'fr');
    await azure.getByLabel('Modèle de base', { exact: true }).fill('contoso-finetune-7b');
    await azure.getByLabel('Point d’accès', { exact: true }).fill('http://contoso.openai.azure.com');
    await azure.getByLabel('Délai du premier octet (ms)').fill('90000');
    await azure.getByLabel('Délai total (ms)').fill('30000');
    await save();
    await note(azure, 'endpoint').filter({ hasText: 'Utilisez une adresse en https://' }).waitFor();
    await note(azure, 'firstByte').filter({ hasText: 'ne peut pas dépasser le délai total (30000 ms)' }).waitFor();
    await azure.getByLabel('Point d’accès', { exact: true }).fill('https://contoso.openai.azure.com');
    await azure.getByLabel('Délai du premier octet (ms)').fill('15000');
    await save();
    await note(azure, 'baseModel').filter({ hasText: 'La grille tarifaire ne connaît pas contoso-finetune-7b' }).waitFor();

    // Accepting it unpriced, explicitly, lets it save.
    await azure.getByLabel('L’utiliser sans prix : ses coûts comptent pour 0 $').check();
    await save();
    await azure.getByRole('status').filter({ hasText: 'Réglages du fournisseur enregistrés.' }).waitFor();
    expect(await page.content()).not.toMatch(/Invalid|invalid_input|ZodError/);
    expect(pageErrors).toEqual([]);
  });

  it('asks before saving a price ten times off the list price', async () => {
    const host = await start();
    const page = await open(host.url);
    const azure = await openProviders(page);
    await azure.getByLabel('Input', { exact: true }).fill('30');
    await azure.getByLabel('Cached input', { exact: true }).fill('1.25');
    await azure.getByLabel('Output', { exact: true }).fill('10');
    await azure.getByRole('button', { name: 'Save', exact: true }).click();
    const ask = azure.getByTestId('price-confirm');
    await ask.filter({ hasText: 'more than ten times away from the list price' }).waitFor();
    await azure.locator('#azure-price-note.error').filter({ hasText: 'Far from the list price for gpt-4o' }).waitFor();
    await ask.getByRole('button', { name: 'Yes, save this price' }).click();
    await azure.getByRole('status').filter({ hasText: 'Provider settings saved.' }).waitFor();
    expect(await ask.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('tests the unsaved settings while the provider is off, and says what failed with a hint', async () => {
    const host = await start();
    const page = await open(host.url);
    const azure = await openProviders(page);
    // A port just handed out and taken back: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    await azure.getByLabel('Endpoint', { exact: true }).fill(`http://127.0.0.1:${port}/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21`);
    await azure.getByLabel('API key', { exact: true }).fill('typed-not-saved-0001');
    expect(await azure.getByRole('switch', { name: 'Use this provider' }).isChecked()).toBe(false);
    await azure.getByRole('button', { name: 'Test connection' }).click();
    const result = azure.getByTestId('test-result');
    await result.filter({ hasText: `127.0.0.1:${port} refused the connection` }).waitFor();
    expect(await azure.getByTestId('test-hint').textContent()).toContain('Check the port');
    expect(await result.textContent()).toContain('cost $0.00');
    // Tested, not saved: the key is still not set.
    expect(await azure.getByTestId('key-status').textContent()).toBe('No key');
    expect(pageErrors).toEqual([]);
  });

  it('asks before leaving a card with unsaved changes, and stays when told to', async () => {
    const host = await start();
    const page = await open(host.url);
    const azure = await openProviders(page);
    await azure.getByLabel('Deployment name', { exact: true }).fill('half-typed');
    const asked: string[] = [];
    page.once('dialog', (dialog) => void (asked.push(dialog.message()), dialog.dismiss()));
    await page.getByRole('navigation').getByRole('link', { name: 'Costs', exact: true }).click();
    await expect.poll(() => asked).toEqual(['Some provider settings are not saved yet. Leave and lose them?']);
    expect(new URL(page.url()).pathname).toBe('/settings/providers');
    expect(await azure.getByLabel('Deployment name', { exact: true }).inputValue()).toBe('half-typed');

    // Back asks too, and staying keeps the page and what was typed.
    page.once('dialog', (dialog) => void (asked.push(dialog.message()), dialog.dismiss()));
    // (history.back(), not page.goBack(): the latter waits for a navigation that, refused, never comes.)
    await page.evaluate('history.back()');
    await expect.poll(() => asked.length).toBe(2);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/settings/providers');
    expect(await azure.getByLabel('Deployment name', { exact: true }).inputValue()).toBe('half-typed');

    // Closing or reloading the window asks too: the page cancels beforeunload, so the browser puts its own question.
    // (Headless Chromium does not show that dialog to Playwright, so the event is sent here as the browser would.)
    const unloadRefused = () =>
      page.evaluate(() => {
        const event = new Event('beforeunload', { cancelable: true });
        (globalThis as unknown as EventTarget).dispatchEvent(event);
        return event.defaultPrevented;
      });
    expect(await unloadRefused()).toBe(true);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('navigation').getByRole('link', { name: 'Costs', exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/costs');
    // Nothing left unsaved: the window closes without a question.
    expect(await unloadRefused()).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
