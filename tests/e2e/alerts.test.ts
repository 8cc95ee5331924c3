import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';

/** The Alerts page in Chromium against the browser host, in the Sandbox profile. */
describe('budgets and alerts in Chromium (browser host, Sandbox mode)', () => {
  const { open, start, pageErrors } = useAppSession();
  const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

  async function sandboxAlerts(page: Page) {
    await nav(page, 'Settings').click();
    const sandbox = page.getByRole('switch', { name: 'Sandbox mode' });
    await sandbox.check();
    await page.getByTestId('sandbox-banner').waitFor();
    await nav(page, 'Alerts').click();
    await page.getByTestId('budgets-empty').waitFor();
  }

  async function fillRow(page: Page, i: number, period: 'Daily' | 'Monthly', dollars: string, levels?: string) {
    const row = page.getByTestId(`budget-row-${i}`);
    await row.getByLabel('Period').selectOption({ label: period });
    await row.getByLabel('Amount (USD)').fill(dollars);
    if (levels) await row.getByLabel('Alert levels (%)').fill(levels);
    return row;
  }

  it('fires an alert when the Playground spends past a small budget: toast, history entry, acknowledge', async () => {
    const host = await start();
    const page = await open(host.url);
    await sandboxAlerts(page);
    expect(await page.getByTestId('history-empty').textContent()).toContain('No alert has fired yet');

    await page.getByRole('button', { name: 'Add a budget' }).click();
    await fillRow(page, 0, 'Daily', '0.0001', '50, 100');
    await page.getByRole('button', { name: 'Save budgets' }).click();
    await page.getByRole('status').filter({ hasText: 'Budgets saved.' }).waitFor();

    await nav(page, 'Playground').click();
    await page.getByLabel('Prompt', { exact: true }).fill('Write a warm welcome for a new fan called Sam.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByTestId('completion-result').waitFor();

    const toast = page.getByTestId('alert-toast').filter({ hasText: 'reached 100% of its daily budget' });
    await toast.waitFor();
    await toast.getByRole('button').first().click();
    await page.getByTestId('alert-id').waitFor();
    const id = (await page.getByTestId('alert-id').textContent())!;
    expect(id).toMatch(/^[0-9a-f-]+\.\d{4}-\d{2}-\d{2}\.100$/);
    const entry = page.getByTestId(`alert-${id}`);
    await entry.waitFor();
    expect(await entry.getAttribute('aria-current')).toBe('true');
    expect(await entry.textContent()).toContain('reached 100 %');
    await entry.getByTestId('delivery-os').filter({ hasText: 'delivered' }).waitFor();

    await entry.getByRole('button', { name: 'Acknowledge' }).click();
    await entry.getByTestId('acknowledged').waitFor();
    // The 50 % alert is still there, not acknowledged.
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('takes a French operator’s "0,50" as half a dollar and shows the provider budget on the Costs page', async () => {
    const host = await start();
    const page = await open(host.url);
    await sandboxAlerts(page);
    await nav(page, 'Playground').click();
    await page.getByLabel('Prompt', { exact: true }).fill('Write a warm welcome for a new fan called Sam.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByTestId('completion-result').waitFor();

    await nav(page, 'Settings').click();
    await page.getByLabel('Language').selectOption('fr');
    await nav(page, 'Alertes').click();
    await page.getByRole('button', { name: 'Ajouter un budget' }).click();
    const row = page.getByTestId('budget-row-0');
    await row.getByLabel("S'applique à").selectOption({ label: 'Un fournisseur' });
    await row.getByLabel('Fournisseur', { exact: true }).selectOption({ label: 'Azure OpenAI' });
    await row.getByLabel('Période').selectOption({ label: 'Mensuel' });
    await row.getByLabel('Montant (USD)').fill('0,50');
    await page.getByRole('button', { name: 'Enregistrer les budgets' }).click();
    await page.getByRole('status').filter({ hasText: 'Budgets enregistrés.' }).waitFor();

    // Read back from the core after a reload: 500 000 micro-dollars, written the French way.
    await page.reload();
    await nav(page, 'Alertes').click();
    await expect.poll(() => page.getByTestId('budget-row-0').getByLabel('Montant (USD)').inputValue()).toBe('0,5');

    await nav(page, 'Coûts').click();
    const scoped = page.locator('[data-testid^="scoped-budget-"]');
    await scoped.waitFor();
    expect(await scoped.locator('th').textContent()).toBe('Azure OpenAI');
    expect(await scoped.textContent()).toContain('sur 0,50\u00a0$US');
    expect(pageErrors).toEqual([]);
  });

  it('says what is wrong at the field: a negative amount, then a daily budget above its monthly one', async () => {
    const host = await start();
    const page = await open(host.url);
    await sandboxAlerts(page);
    await page.getByRole('button', { name: 'Add a budget' }).click();
    const daily = await fillRow(page, 0, 'Daily', '-5');
    await page.getByRole('button', { name: 'Save budgets' }).click();
    const amount = daily.getByLabel('Amount (USD)');
    await expect.poll(() => amount.getAttribute('aria-invalid')).toBe('true');
    expect(await daily.locator('#b-0-amount-note').textContent()).toContain('no negatives');

    await amount.fill('5');
    await page.getByRole('button', { name: 'Add a budget' }).click();
    await fillRow(page, 1, 'Monthly', '1');
    await page.getByRole('button', { name: 'Save budgets' }).click();
    await daily.locator('#b-0-amount-note').filter({ hasText: "above this scope's monthly budget ($1.00)" }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'Nothing was saved' }).count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
