import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseDollars } from '../../shared/money';
import { useAppSession } from '../support/app-session';

const NAV = ['Home', 'Campaigns', 'Costs', 'Requests', 'Alerts', 'Optimization', 'Playground', 'Limits', 'Health', 'Settings'];
const BANNER_TEXT = 'nothing is sent to Azure or OpenAI and costs are simulated';

describe('Sandbox mode, the Playground and provider settings in Chromium', () => {
  const { open, start, pageErrors } = useAppSession();

  const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

  async function turnSandboxOn(page: Page) {
    await nav(page, 'Settings').click();
    const sandbox = page.getByRole('switch', { name: 'Sandbox mode' });
    await sandbox.waitFor();
    expect(await sandbox.isChecked()).toBe(false);
    expect(await page.getByTestId('sandbox-banner').count()).toBe(0);
    await sandbox.check();
    await page.getByTestId('sandbox-banner').filter({ hasText: BANNER_TEXT }).waitFor();
  }

  async function setFault(page: Page, provider: string, fault: string) {
    const select = page.getByLabel(`${provider} fault`);
    await select.selectOption(fault);
    // data-confirmed changes only when the sandbox has answered.
    await expect.poll(() => select.getAttribute('data-confirmed')).toBe(fault);
  }

  async function send(page: Page, prompt: string): Promise<Locator> {
    await page.getByLabel('Prompt', { exact: true }).fill(prompt);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const result = page.getByTestId('completion-result');
    await result.waitFor();
    return result;
  }

  const rowsOf = async (result: Locator) => {
    const rows = result.getByTestId('attempt-row');
    const count = await rows.count();
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const row = rows.nth(i);
        return {
          provider: await row.getAttribute('data-provider'),
          status: await row.getAttribute('data-status'),
          outcome: await row.getAttribute('data-outcome'),
          text: (await row.textContent()) ?? '',
        };
      }),
    );
  };

  it('shows the sandbox banner on every page while Sandbox mode is on, across a reload, until it is turned off', async () => {
    const host = await start();
    const page = await open(host.url);
    await turnSandboxOn(page);

    for (const name of NAV) {
      await nav(page, name).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      const banner = page.getByTestId('sandbox-banner');
      expect(await banner.isVisible(), name).toBe(true);
      expect(await banner.textContent(), name).toContain(BANNER_TEXT);
    }

    await page.reload();
    await page.getByTestId('sandbox-banner').waitFor();

    await nav(page, 'Settings').click();
    await page.getByRole('switch', { name: 'Sandbox mode' }).uncheck();
    await page.getByTestId('sandbox-banner').waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  it('falls back from a failing Azure to OpenAI and shows every attempt, the cost and the health figures', async () => {
    const host = await start();
    const page = await open(host.url);
    await turnSandboxOn(page);
    await nav(page, 'Playground').click();
    await setFault(page, 'Azure OpenAI', 'server_error');

    const result = await send(page, 'Write a welcome message for a new subscriber named Sam.');
    await result.locator('[data-testid="result-outcome"][data-outcome="ok"]').waitFor();
    expect(await result.getByTestId('result-outcome').textContent()).toBe('Answered');
    expect(await result.getByTestId('result-provider').getAttribute('data-provider')).toBe('openai');
    expect(await result.getByTestId('result-provider').textContent()).toContain('OpenAI');
    expect(await result.getByTestId('fallback-badge').textContent()).toBe('Served by fallback');
    expect((await result.getByTestId('result-text').textContent())?.trim()).not.toBe('');

    const rows = await rowsOf(result);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]).toMatchObject({ provider: 'azure', status: '500', outcome: 'server_error' });
    expect(rows[0]!.text).toContain('Server error');
    expect(rows.at(-1)).toMatchObject({ provider: 'openai', outcome: 'ok' });
    for (const row of rows.slice(0, -1)) expect(row).toMatchObject({ provider: 'azure', status: '500', outcome: 'server_error' });

    const cost = parseDollars((await result.getByTestId('result-cost').textContent()) ?? '');
    expect(cost).toBeGreaterThan(0);

    // The same call, seen from Health: OpenAI served a fallback, and today's cost is not zero.
    await nav(page, 'Health').click();
    const openai = page.locator('[data-testid="orchestrator-row"][data-provider="openai"]');
    await openai.waitFor();
    await expect.poll(() => page.getByTestId('provider-health-row').count()).toBe(3);
    await expect.poll(async () => parseDollars((await page.getByTestId('orchestrator-cost-total').textContent()) ?? '')).toBe(cost);
    const azureHealth = page.locator('[data-testid="provider-health-row"][data-provider="azure"]');
    // The health row may still show the previous poll's state for a moment: wait for it, do not read it once.
    await expect.poll(async () => (await azureHealth.textContent()) ?? '').toContain('Server error');
    expect(pageErrors).toEqual([]);
  });

  it('returns a content-filter refusal from Azure without trying another provider', async () => {
    const host = await start();
    const page = await open(host.url);
    await turnSandboxOn(page);
    await nav(page, 'Playground').click();
    await setFault(page, 'Azure OpenAI', 'content_filter');

    const result = await send(page, 'Something the content filter will not let through.');
    await result.locator('[data-testid="result-outcome"][data-outcome="refused"]').waitFor();
    expect(await result.getByTestId('result-outcome').textContent()).toBe('Refused');
    const error = (await result.getByTestId('result-error').textContent()) ?? '';
    expect(error).toContain('stopped this with its content filter');
    expect(error).toContain('sexual (medium)');
    expect(await result.getByTestId('fallback-badge').count()).toBe(0);

    const rows = await rowsOf(result);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    for (const row of rows) expect(row).toMatchObject({ provider: 'azure', outcome: 'content_filter' });
    expect(pageErrors).toEqual([]);
  });

  it('keeps an API key write-only: "Key set" across a reload, never in the page, and removable', async () => {
    const host = await start();
    const page = await open(host.url);
    await nav(page, 'Settings').click();
    await page.getByRole('tab', { name: 'AI providers' }).click();
    const openai = page.getByTestId('provider-openai');
    // Cards fold to a summary row; the first one still to set up (Azure) starts open.
    await openai.getByRole('button', { name: 'Edit OpenAI', exact: true }).click();
    const status = openai.getByTestId('key-status');
    await status.filter({ hasText: 'No key' }).waitFor();

    const canary = `sk-canary-${randomBytes(12).toString('hex')}`;
    await openai.getByLabel('API key', { exact: true }).fill(canary);
    await openai.getByRole('button', { name: 'Save', exact: true }).click();
    await status.filter({ hasText: 'Key set' }).waitFor();
    expect(await openai.locator('input[type="password"]').inputValue()).toBe('');
    expect(await page.content()).not.toContain(canary);
    expect(await page.content()).not.toContain('sk-canary-');

    await page.reload();
    await page.getByTestId('provider-openai').getByRole('button', { name: 'Edit OpenAI', exact: true }).click();
    await page.getByTestId('provider-openai').getByTestId('key-status').filter({ hasText: 'Key set' }).waitFor();
    expect(await page.content()).not.toContain(canary);

    await page.getByTestId('provider-openai').getByRole('button', { name: 'Remove key', exact: true }).click();
    await page.getByTestId('provider-openai').getByTestId('key-status').filter({ hasText: 'No key' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('saves provider settings with a price override, and shows main’s issues next to the form', async () => {
    const host = await start();
    const page = await open(host.url);
    await nav(page, 'Settings').click();
    await page.getByRole('tab', { name: 'AI providers' }).click();
    const azure = page.getByTestId('provider-azure');
    await azure.getByLabel('Deployment name').waitFor();

    await azure.getByLabel('Endpoint').fill('not a url');
    await azure.getByRole('button', { name: 'Save', exact: true }).click();
    await azure.locator('#azure-endpoint-note.error').filter({ hasText: 'http(s) URL' }).waitFor();
    expect(await azure.getByLabel('Endpoint').getAttribute('aria-invalid')).toBe('true');

    await azure.getByLabel('Endpoint').fill('https://agency.openai.azure.com');
    await azure.getByLabel('Deployment name').fill('huntaze-prod-chat');
    await azure.getByLabel('Base model').fill('gpt-4o');
    await azure.getByLabel('Input', { exact: true }).fill('2.5');
    await azure.getByLabel('Cached input').fill('1.25');
    await azure.getByLabel('Output', { exact: true }).fill('10');
    await azure.getByRole('button', { name: 'Save', exact: true }).click();
    await azure.getByRole('status').filter({ hasText: 'Provider settings saved.' }).waitFor();

    await page.reload();
    const again = page.getByTestId('provider-azure');
    await expect.poll(() => again.getByLabel('Deployment name').inputValue()).toBe('huntaze-prod-chat');
    expect(await again.getByLabel('Endpoint').inputValue()).toBe('https://agency.openai.azure.com');
    expect(await again.getByLabel('Input', { exact: true }).inputValue()).toBe('2.50');
    expect(await again.getByLabel('Cached input').inputValue()).toBe('1.25');
    expect(await again.getByLabel('Output', { exact: true }).inputValue()).toBe('10.00');
    expect(pageErrors).toEqual([]);
  });
});
