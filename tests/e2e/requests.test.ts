import { readFile } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseDollars } from '../../shared/money';
import { useAppSession } from '../support/app-session';

describe('the Requests page in Chromium', () => {
  const { open, start, pageErrors } = useAppSession();

  const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

  async function turnSandboxOn(page: Page) {
    await nav(page, 'Settings').click();
    await page.getByRole('switch', { name: 'Sandbox mode' }).check();
    await page.getByTestId('sandbox-banner').waitFor();
  }

  async function send(page: Page, prompt: string) {
    await page.getByLabel('Prompt', { exact: true }).fill(prompt);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const result = page.getByTestId('completion-result');
    await result.waitFor();
    return result;
  }

  it('says what to do when no request was made yet', async () => {
    const host = await start();
    const page = await open(host.url);
    await nav(page, 'Requests').click();
    const empty = page.getByTestId('requests-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('Run a prompt in the Playground');
    await empty.getByRole('link', { name: 'Open the Playground' }).click();
    await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('shows a Playground request live, with its attempts in a drawer; filters; exports the filtered rows; live never sees it', async () => {
    const host = await start();
    const playground = await open(host.url);
    await turnSandboxOn(playground);

    const log = await open(host.url);
    await nav(log, 'Requests').click();
    await log.getByTestId('requests-empty').waitFor();

    // The page learns of the request from requests.updated, without a reload.
    await nav(playground, 'Playground').click();
    const select = playground.getByLabel('Azure OpenAI fault');
    await select.selectOption('server_error');
    await expect.poll(() => select.getAttribute('data-confirmed')).toBe('server_error');
    const result = await send(playground, 'Write a welcome message for a new subscriber named Sam.');
    await result.locator('[data-testid="result-outcome"][data-outcome="ok"]').waitFor();
    const cost = parseDollars((await result.getByTestId('result-cost').textContent()) ?? '')!;
    expect(cost).toBeGreaterThan(0);

    const row = log.getByTestId('request-row');
    await row.first().waitFor({ timeout: 15_000 });
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute('data-provider')).toBe('openai');
    expect(Number(await row.getAttribute('data-micros'))).toBe(cost);
    expect(await row.textContent()).toContain('Served by fallback');

    // The drawer: every attempt, Escape closes it, focus goes back to the row that opened it.
    const opener = row.getByRole('button');
    await opener.click();
    const drawer = log.getByRole('dialog', { name: 'Request details' });
    await drawer.waitFor();
    await drawer.getByTestId('attempt-row').last().waitFor();
    const attempts = await Promise.all((await drawer.getByTestId('attempt-row').all()).map(async (r) => [await r.getAttribute('data-provider'), await r.getAttribute('data-outcome')]));
    expect(attempts[0]).toEqual(['azure', 'server_error']);
    expect(attempts.at(-1)).toEqual(['openai', 'ok']);
    expect(Number(await drawer.getByTestId('drawer-cost').getAttribute('data-micros'))).toBe(cost);
    // Legacy mode: these pages come from browser.newPage, whose implicit context cannot open axe's helper page.
    const { violations } = await new AxeBuilder({ page: log }).setLegacyMode(true).analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await log.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    // A string: this project's Node typings have no DOM.
    expect(await log.evaluate<string | null>('document.activeElement && document.activeElement.getAttribute("aria-label")')).toBe(await opener.getAttribute('aria-label'));

    // Filters: OpenAI keeps it, Azure does not.
    await log.getByLabel('Provider').selectOption('azure');
    await log.getByTestId('requests-none').waitFor();
    await log.getByLabel('Provider').selectOption('openai');
    await row.first().waitFor();
    await log.getByLabel('Search').fill('no such request anywhere');
    await log.getByTestId('requests-none').waitFor();
    await log.getByLabel('Search').fill('gpt-4o');
    await row.first().waitFor();

    const [download] = await Promise.all([log.waitForEvent('download'), log.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('huntaze-requests.csv');
    const [head, ...lines] = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
    expect(head!.split(',').slice(0, 3)).toEqual(['Request id', 'Time (UTC)', 'Purpose']);
    expect(lines).toHaveLength(1);
    const cells = lines[0]!.split(',');
    expect(cells[0]).toBe(await firstRowId(log));
    expect(cells[13]).toMatch(/^\d+\.\d{6}$/);
    expect(parseDollars(cells[13]!)).toBe(cost);

    // Back to live: the Sandbox's request is not in the live profile's log.
    await nav(playground, 'Settings').click();
    await playground.getByRole('switch', { name: 'Sandbox mode' }).uncheck();
    await playground.getByTestId('sandbox-banner').waitFor({ state: 'detached' });
    await log.getByRole('button', { name: 'Clear filters' }).click();
    await log.getByTestId('requests-empty').waitFor();
    expect(pageErrors).toEqual([]);
  });
});

const firstRowId = (page: Page) => page.getByTestId('request-row').first().getAttribute('data-id');
