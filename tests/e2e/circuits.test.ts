import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';

/** Sandbox mode in Chromium: circuits opened by faults, seen and reset on Health; outcomes and streaming in the Playground. */
describe('circuits you can see and control, clear outcomes', () => {
  const { open, start, pageErrors } = useAppSession();

  const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

  async function sandboxPlayground(page: Page) {
    await nav(page, 'Settings').click();
    await page.getByRole('switch', { name: 'Sandbox mode' }).check();
    await page.getByTestId('sandbox-banner').waitFor();
    await nav(page, 'Playground').click();
    await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
  }

  async function setFault(page: Page, provider: string, fault: string) {
    const select = page.getByLabel(`${provider} fault`, { exact: true });
    await select.selectOption(fault);
    await expect.poll(() => select.getAttribute('data-confirmed')).toBe(fault);
  }

  async function send(page: Page, prompt: string) {
    await page.getByLabel('Prompt', { exact: true }).fill(prompt);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const result = page.getByTestId('completion-result');
    await result.waitFor();
    await page.getByRole('button', { name: 'Send', exact: true }).and(page.locator(':enabled')).waitFor();
    return result;
  }

  it('opens a circuit by faults, counts down on Health, resets it, and then the picked fault happens', async () => {
    const host = await start();
    const page = await open(host.url);
    await sandboxPlayground(page);
    await setFault(page, 'Azure OpenAI', 'server_error');
    // Two tries per request, three consecutive faults open the circuit.
    await send(page, 'First request while Azure fails.');
    const second = await send(page, 'Second request while Azure fails.');
    await second.locator('[data-testid="skipped-row"][data-provider="azure"][data-reason="circuit_open"]').waitFor();

    // Picking another fault while the circuit is open says it cannot happen yet, and offers the reset.
    await setFault(page, 'Azure OpenAI', 'unauthorized');
    const notice = page.locator('[data-testid="circuit-notice"][data-provider="azure"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('will not happen yet');
    expect(await notice.getByRole('button', { name: 'Reset the Azure OpenAI circuit' }).isVisible()).toBe(true);

    await nav(page, 'Health').click();
    const azure = page.locator('[data-testid="provider-health-row"][data-provider="azure"]');
    await azure.and(page.locator('[data-circuit="open"]')).waitFor();
    const wait = azure.getByTestId('circuit-wait');
    await expect.poll(async () => (await wait.textContent()) ?? '').toMatch(/^Next probe in \d+ s$/);
    // Counted down from the core's deadline (30 s after it opened), never more than that.
    expect(Number(await wait.getAttribute('data-left-ms'))).toBeLessThanOrEqual(30_000);
    expect(await azure.getByTestId('last-error-at').textContent()).toMatch(/^at \d/);

    await azure.getByRole('button', { name: 'Reset the Azure OpenAI circuit' }).click();
    await azure.and(page.locator('[data-circuit="closed"]')).waitFor();
    await expect.poll(async () => (await azure.getByTestId('circuit-reset-by').textContent()) ?? '').toMatch(/^Reset by Operator at \d/);

    await nav(page, 'Playground').click();
    await page.getByTestId('sandbox-faults').waitFor();
    expect(await page.getByTestId('circuit-notice').count()).toBe(0);
    const after = await send(page, 'Now the picked fault should happen.');
    await after.locator('[data-testid="attempt-row"][data-provider="azure"][data-outcome="unauthorized"][data-status="401"]').first().waitFor();
    expect(await after.getByTestId('result-provider').getAttribute('data-provider')).toBe('openai');
    // Premium asked, OpenAI's Standard step served it.
    expect(await after.getByTestId('cheaper-badge').textContent()).toBe('Premium requested, served by Standard');
    expect(pageErrors).toEqual([]);
  });

  it('names every provider’s failure when all fail, in English and in French', async () => {
    const host = await start();
    const page = await open(host.url);
    await sandboxPlayground(page);
    await setFault(page, 'Azure OpenAI', 'unauthorized');
    await setFault(page, 'OpenAI', 'unavailable');
    await setFault(page, 'Local model', 'reset');
    const result = await send(page, 'Every provider is down.');
    const error = result.getByTestId('result-error');
    expect(await error.textContent()).toBe(
      'Every route failed. Azure OpenAI: the API key was refused (check Settings → AI providers); OpenAI: server error 503 after 2 tries; Local model: could not connect after 2 tries.',
    );

    await nav(page, 'Settings').click();
    await page.getByLabel('Language').selectOption('fr');
    // The result stays in the Playground across pages; its message is worded again in French.
    await nav(page, 'Banc d’essai').click();
    await expect.poll(async () => (await page.getByTestId('result-error').textContent()) ?? '').toContain('Toutes les routes ont échoué.');
    expect(await page.getByTestId('result-error').textContent()).toContain('la clé d’API a été refusée');
    expect(await page.getByTestId('result-error').textContent()).toContain('erreur du serveur 503 après 2 essais');
    expect(pageErrors).toEqual([]);
  });

  it('shows a streamed reply as it arrives, sent with Ctrl+Enter, before the result', async () => {
    const host = await start();
    const page = await open(host.url);
    await sandboxPlayground(page);
    await setFault(page, 'Azure OpenAI', 'slow_stream');
    await page.getByLabel('Stream the reply').check();
    await page.getByLabel('Prompt', { exact: true }).fill('one two three four five six seven eight nine ten eleven twelve');
    await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');

    // Paced a piece every quarter second: some text is on screen while the result is not yet.
    const live = page.getByTestId('live-text');
    await expect.poll(async () => ((await live.count()) ? ((await live.textContent()) ?? '') : '')).toMatch(/\S/);
    expect(await page.getByTestId('completion-result').count()).toBe(0);
    const partial = (await live.textContent()) ?? '';

    const result = page.getByTestId('completion-result');
    await result.waitFor();
    const full = (await result.getByTestId('result-text').textContent()) ?? '';
    expect(full.startsWith(partial)).toBe(true);
    expect(full.length).toBeGreaterThan(partial.length);
    expect(await page.getByTestId('live-reply').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
