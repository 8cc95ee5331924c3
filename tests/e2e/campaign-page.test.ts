import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';
import { campaignFixture, fanId, generated, must } from '../support/campaign-page';
import { useTempDirs } from '../support/tmp';

/**
 * The campaign page in Chromium against the browser host, in Sandbox mode: generation and
 * sending run for real (template mode, the Sandbox OnlyFans server), the page follows them live.
 */
/** The table's scrolling box, typed here: the tests are compiled without the DOM library. */
interface Scroller {
  scrollHeight: number;
  scrollTo(to: { top: number }): void;
}

describe('campaign page, in Chromium against the browser host', () => {
  const { open, start, pageErrors } = useAppSession();
  const tempDir = useTempDirs();

  const goto = async (page: Page, id: string) => {
    await page.getByRole('navigation').waitFor();
    await page.goto(new URL(`/campaigns/${id}`, page.url()).href);
  };
  const focusedFan = (page: Page) => page.evaluate('document.activeElement && document.activeElement.getAttribute("data-fan")');
  const state = (page: Page) => page.getByTestId('campaign-state').getAttribute('data-state');
  const button = (page: Page, name: string) => page.getByTestId('campaign-status').locator('..').getByRole('button', { name, exact: true });

  it('generates, approves and follows sending to done, with counts, the bar and costs; the chips filter the rows', async () => {
    const host = await start();
    const page = await open(host.url);
    // The fastest pace an account allows: six fans fit its burst.
    const { campaign } = await campaignFixture(host.url, tempDir(), 6, { perMinute: 60, minSpacingSeconds: 1, burst: 10 });
    await goto(page, campaign.id);
    await page.locator('h1').filter({ hasText: 'Spring offer' }).waitFor();
    expect(await page.getByTestId('campaign-state').textContent()).toBe('Draft');
    await page.getByTestId('recipients-empty').filter({ hasText: 'No recipients yet' }).waitFor();
    // Nothing to pause, resume or approve in a draft.
    expect(await button(page, 'Pause').count()).toBe(0);
    expect(await button(page, 'Approve and send').count()).toBe(0);

    await button(page, 'Generate messages').click();
    await expect.poll(() => page.locator('[data-testid="filter-chip"][data-status="generated"]').getAttribute('data-count'), { timeout: 30_000 }).toBe('6');
    expect(await state(page)).toBe('ready');
    await expect.poll(() => page.getByTestId('recipient-row').count()).toBe(6);
    const first = page.locator(`[data-testid="recipient-row"][data-fan="${fanId(0)}"]`);
    expect(await first.textContent()).toContain('Fan 0');
    expect(await first.textContent()).toContain('Hi user0, something new for you');
    expect(await first.textContent()).toContain('Template');

    await button(page, 'Approve and send').click();
    await expect.poll(() => state(page), { timeout: 60_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('send-progress').textContent()).toBe('6 of 6 recipients done (100 %)');
    expect(await page.locator('#send-bar').getAttribute('data-progress')).toBe('1');
    expect(await page.getByTestId('campaign-state').textContent()).toBe('Done');
    await expect.poll(() => page.locator('[data-testid="recipient-row"][data-status="sent"]').count()).toBe(6);
    // Template mode spends nothing on AI, and the costs say so in figures and words.
    expect(await page.getByTestId('cost-total').getAttribute('data-micros')).toBe('0');
    expect(await page.getByTestId('cost-none').textContent()).toContain('No AI cost yet');
    // Done is final: no controls but Duplicate.
    for (const name of ['Pause', 'Resume', 'Cancel campaign', 'Generate messages']) expect(await button(page, name).count()).toBe(0);

    await page.locator('[data-testid="filter-chip"][data-status="failed"]').click();
    await page.getByTestId('recipients-empty').filter({ hasText: 'No recipient has this status.' }).waitFor();
    await page.locator('[data-testid="filter-chip"][data-status="sent"]').click();
    await expect.poll(() => page.getByTestId('recipient-row').count()).toBe(6);
    expect(await page.locator('[data-testid="filter-chip"][data-status="sent"]').getAttribute('aria-pressed')).toBe('true');

    const report = await must(host.url, 'sandbox.sendReport', {});
    expect(report.received).toBe(6);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('offers pause, resume and cancel by state; cancelling asks first and is final', async () => {
    const host = await start();
    const page = await open(host.url);
    // One message every six seconds: the campaign stays in flight while the buttons are tried.
    const { campaign } = await campaignFixture(host.url, tempDir(), 20, { perMinute: 10, minSpacingSeconds: 6, burst: 1 }, 'Slow one');
    await generated(host.url, campaign.id, 20);
    await goto(page, campaign.id);
    await button(page, 'Approve and send').click();
    await expect.poll(() => state(page), { timeout: 30_000 }).toMatch(/^(queued|sending)$/);
    expect(await button(page, 'Resume').count()).toBe(0);
    expect(await button(page, 'Edit').count()).toBe(0);

    await button(page, 'Pause').click();
    await expect.poll(() => state(page)).toBe('paused');
    expect(await page.getByTestId('campaign-state').textContent()).toBe('Paused');
    expect(await button(page, 'Pause').count()).toBe(0);
    await button(page, 'Resume').click();
    await expect.poll(() => state(page)).toMatch(/^(queued|sending)$/);

    await button(page, 'Cancel campaign').click();
    const confirm = page.getByTestId('cancel-confirm');
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    expect(await confirm.count()).toBe(0);
    expect(await state(page)).toMatch(/^(queued|sending)$/);
    await button(page, 'Cancel campaign').click();
    await confirm.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect.poll(() => state(page)).toBe('cancelled');
    for (const name of ['Pause', 'Resume', 'Cancel campaign']) expect(await button(page, name).count()).toBe(0);
    const status = await must(host.url, 'campaigns.status', { id: campaign.id });
    expect(status.counts.sent).toBeLessThan(20);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('scrolls a 5,000-recipient table to its last row, by scrolling and by the keyboard', async () => {
    const host = await start();
    const page = await open(host.url);
    const { campaign } = await campaignFixture(host.url, tempDir(), 5000, { perMinute: 60, minSpacingSeconds: 1, burst: 10 }, 'Everyone');
    await generated(host.url, campaign.id, 5000);
    await goto(page, campaign.id);
    const table = page.getByTestId('recipients-table');
    await expect.poll(() => table.getAttribute('data-total')).toBe('5000');
    expect(await table.getAttribute('aria-rowcount')).toBe('5001');
    // Only a window of rows is in the page, never all 5,000.
    expect(await page.getByTestId('recipient-row').count()).toBeLessThan(100);

    await table.evaluate((el) => (el as unknown as Scroller).scrollTo({ top: (el as unknown as Scroller).scrollHeight }));
    const last = page.locator(`[data-testid="recipient-row"][data-fan="${fanId(4999)}"]`);
    await last.waitFor();
    expect(await last.getAttribute('aria-rowindex')).toBe('5001');
    expect(await last.isVisible()).toBe(true);
    expect(await last.textContent()).toContain('Fan 4999');

    // The keyboard: Home to the first row, End to the last, arrows one by one; focus follows.
    await table.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => focusedFan(page)).toBe(fanId(0));
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedFan(page)).toBe(fanId(1));
    await page.getByTestId('recipient-detail').filter({ hasText: 'Hi user1, something new for you' }).waitFor();
    await page.keyboard.press('End');
    await expect.poll(() => focusedFan(page)).toBe(fanId(4999));
    expect(await last.isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
