import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseDollars } from '../../shared/money';
import { useAppSession } from '../support/app-session';

/** Runs in the page before its own scripts (a string: this project's Node typings have no DOM). */
const RECORD_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
`;

describe('the Costs page in Chromium', () => {
  const { open, start, pageErrors } = useAppSession();

  const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

  async function watched(url: string) {
    const page = await open(url);
    await page.addInitScript({ content: RECORD_VIOLATIONS });
    await page.reload();
    return page;
  }

  async function turnSandboxOn(page: Page) {
    await nav(page, 'Settings').click();
    await page.getByRole('switch', { name: 'Sandbox mode' }).check();
    await page.getByTestId('sandbox-banner').waitFor();
  }

  async function send(page: Page, prompt: string) {
    await page.getByLabel('Prompt', { exact: true }).fill(prompt);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByTestId('completion-result').waitFor();
  }

  const micros = async (page: Page, testId: string) => Number(await page.getByTestId(testId).getAttribute(testId.endsWith('chart') ? 'data-total-micros' : 'data-micros'));

  it('says what to do when nothing has been spent yet, without a CSP violation', async () => {
    const host = await start();
    const page = await watched(host.url);
    await nav(page, 'Costs').click();
    const empty = page.getByTestId('costs-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('Send a prompt from the Playground or turn on Sandbox mode');
    await empty.getByRole('link', { name: 'Open the Playground' }).click();
    await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
    expect(await page.evaluate<string[]>('window.cspViolations')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('moves the chart and month to date live while the Playground spends, then exports a provider breakdown whose CSV totals match', async () => {
    const host = await start();
    const playground = await open(host.url);
    await turnSandboxOn(playground);
    await nav(playground, 'Playground').click();
    await send(playground, 'Write a welcome message for Sam.');

    const costs = await watched(host.url);
    await nav(costs, 'Costs').click();
    await costs.getByTestId('daily-chart').locator('canvas').waitFor();
    await costs.getByTestId('month-chart').locator('canvas').waitFor();
    const chartBefore = await micros(costs, 'daily-chart');
    const mtdBefore = await micros(costs, 'month-to-date');
    const figureBefore = await costs.getByTestId('month-to-date-figure').textContent();
    expect(chartBefore).toBeGreaterThan(0);
    expect(mtdBefore).toBe(chartBefore);

    // Two windows on one host: the Costs page learns of the spend from costs.updated, not a reload.
    await send(playground, 'Write a second, longer welcome message for Alex, who subscribed for a year.');
    await expect.poll(() => micros(costs, 'daily-chart'), { timeout: 15_000 }).toBeGreaterThan(chartBefore);
    await expect.poll(() => micros(costs, 'month-to-date')).toBe(await micros(costs, 'daily-chart'));
    expect(await costs.getByTestId('month-to-date-figure').textContent()).not.toBe(figureBefore);
    await expect.poll(() => micros(costs, 'breakdown-total')).toBe(await micros(costs, 'daily-chart'));

    const breakdown = costs.getByTestId('breakdown');
    expect(await breakdown.getByLabel('Group by 1').inputValue()).toBe('provider');
    const rows = costs.getByTestId('breakdown-row');
    const tableTotal = await micros(costs, 'breakdown-total');
    const shown = await Promise.all((await rows.all()).map(async (r) => Number(await r.getAttribute('data-micros'))));
    expect(shown.reduce((a, b) => a + b, 0)).toBe(tableTotal);

    const [download] = await Promise.all([costs.waitForEvent('download'), breakdown.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^huntaze-costs-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const [head, ...lines] = csv.trimEnd().split('\r\n');
    expect(head).toBe('Provider,Requests,Input tokens,Cached input tokens,Output tokens,Cost (USD)');
    expect(lines).toHaveLength(shown.length);
    const cells = lines.map((l) => l.split(','));
    for (const c of cells) expect(c[5]).toMatch(/^\d+\.\d{6}$/);
    expect(cells.map((c) => parseDollars(c[5]!)!)).toEqual(shown);
    expect(cells.reduce((sum, c) => sum + parseDollars(c[5]!)!, 0)).toBe(tableTotal);
    expect(cells.map((c) => c[0])).toContain('azure');

    expect(await costs.evaluate<string[]>('window.cspViolations')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
