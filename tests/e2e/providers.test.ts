import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';

describe('Per-class deployments in Settings → AI providers, in Chromium', () => {
  const { open, start, pageErrors } = useAppSession();

  async function openProviders(page: Page): Promise<Locator> {
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'AI providers' }).click();
    const azure = page.getByTestId('provider-azure');
    await azure.getByLabel('Deployment name', { exact: true }).waitFor();
    return azure;
  }

  const classGroup = (card: Locator, name: string) => card.getByRole('group', { name, exact: true });
  // Each class field's name starts with its class ("Standard class: Base model"); the visible label does not.
  const classField = (group: Locator, name: string, label: string) => group.getByLabel(`${name} class: ${label}`, { exact: true });
  const save = async (card: Locator) => {
    await card.getByRole('button', { name: 'Save', exact: true }).click();
    await card.getByRole('status').filter({ hasText: 'Provider settings saved.' }).waitFor();
  };

  it('gives Azure’s standard class its own deployment and price, keeps it across a reload, then puts it back on the main one', async () => {
    const host = await start();
    const page = await open(host.url);
    let azure = await openProviders(page);
    await azure.getByLabel('Deployment name', { exact: true }).fill('prod-4o');

    let standard = classGroup(azure, 'Standard');
    const field = (label: string) => classField(standard, 'Standard', label);
    expect(await standard.getByRole('radio', { name: 'Use the main deployment' }).isChecked()).toBe(true);
    expect(await standard.getByRole('textbox').count()).toBe(0);
    await standard.getByRole('radio', { name: 'Its own deployment' }).check();

    // Checked before sending: a class of its own needs a base model.
    await field('Deployment name').fill('prod-mini');
    await azure.getByRole('button', { name: 'Save', exact: true }).click();
    await azure.locator('#azure-standard-baseModel-note.error').filter({ hasText: 'Required for a class with its own deployment.' }).waitFor();

    // Checked by main: its issue comes back next to the class's own field.
    await field('Deployment name').fill('x'.repeat(201));
    await field('Base model').fill('gpt-4o-mini');
    await azure.getByRole('button', { name: 'Save', exact: true }).click();
    await azure.locator('#azure-standard-deployment-note.error').filter({ hasText: '200' }).waitFor();
    expect(await field('Deployment name').getAttribute('aria-invalid')).toBe('true');
    expect(await azure.locator('#azure-deployment-note.error').count()).toBe(0);

    await field('Deployment name').fill('prod-mini');
    await field('Input $/Mtok').fill('0.15');
    await field('Cached input $/Mtok').fill('0.075');
    await field('Output $/Mtok').fill('0.6');
    await save(azure);

    await page.reload();
    azure = page.getByTestId('provider-azure');
    standard = classGroup(azure, 'Standard');
    await expect.poll(() => field('Deployment name').inputValue()).toBe('prod-mini');
    expect(await standard.getByRole('radio', { name: 'Its own deployment' }).isChecked()).toBe(true);
    expect(await field('Base model').inputValue()).toBe('gpt-4o-mini');
    expect(await field('Input $/Mtok').inputValue()).toBe('0.15');
    expect(await field('Cached input $/Mtok').inputValue()).toBe('0.075');
    expect(await field('Output $/Mtok').inputValue()).toBe('0.60');
    // The other classes still run the main deployment.
    for (const name of ['Premium', 'Economy']) {
      const group = classGroup(azure, name);
      expect(await group.getByRole('radio', { name: 'Use the main deployment' }).isChecked(), name).toBe(true);
      expect(await group.getByTestId('class-inherits').textContent(), name).toBe('Runs prod-4o (gpt-4o).');
    }

    await standard.getByRole('radio', { name: 'Use the main deployment' }).check();
    expect(await standard.getByRole('textbox').count()).toBe(0);
    await save(azure);

    await page.reload();
    azure = page.getByTestId('provider-azure');
    standard = classGroup(azure, 'Standard');
    await expect.poll(() => azure.getByLabel('Deployment name', { exact: true }).inputValue()).toBe('prod-4o');
    expect(await standard.getByRole('radio', { name: 'Use the main deployment' }).isChecked()).toBe(true);
    expect(await standard.getByTestId('class-inherits').textContent()).toBe('Runs prod-4o (gpt-4o).');
    // Gone, not hidden: choosing its own deployment again starts from empty fields.
    await standard.getByRole('radio', { name: 'Its own deployment' }).check();
    expect(await field('Deployment name').inputValue()).toBe('');
    expect(await field('Input $/Mtok').inputValue()).toBe('');
    expect(pageErrors).toEqual([]);
  });

  it('words main’s validation errors in French when the interface is in French', async () => {
    const host = await start();
    const page = await open(host.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('tab', { name: 'Fournisseurs d’IA' }).click();
    const azure = page.getByTestId('provider-azure');
    await azure.getByLabel('Point d’accès').fill('pas une url');
    // Sent as is: the endpoint is checked by main, whose issue comes back as a code and is worded here.
    await azure.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await azure.locator('#azure-endpoint-note.error').filter({ hasText: 'Doit être une URL http(s)' }).waitFor();
    expect(await azure.getByRole('alert').filter({ hasText: 'Enregistrement impossible : Certaines valeurs ne sont pas valides.' }).count()).toBe(1);
    expect(await page.content()).not.toContain('Invalid');
    expect(pageErrors).toEqual([]);
  });
});
