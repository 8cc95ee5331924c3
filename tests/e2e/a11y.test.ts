import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';
import { choose, findings } from '../support/appearance';
import { hostCall } from '../support/host-call';
import { campaignFixture, generated } from '../support/campaign-page';
import { useTempDirs } from '../support/tmp';

const THEMES = ['light', 'dark'] as const;
const LANGUAGES = ['en', 'fr'] as const;

/** Every page the navigation offers, and every section of Settings: pages added later are checked too. */
async function addresses(page: Page): Promise<string[]> {
  const attrs = async (selector: string, name: string) => Promise.all((await page.locator(selector).all()).map(async (l) => (await l.getAttribute(name)) ?? ''));
  const pages = await attrs('nav.sidebar a[href^="/"]', 'href');
  await page.goto(new URL('/settings', page.url()).href);
  await page.getByRole('tab').first().waitFor();
  const tabs = await attrs('[role="tab"]', 'id');
  const sections = tabs.map((id) => id.replace('settings-tab-', '')).filter((s) => s !== 'general').map((s) => `/settings/${s}`);
  return [...new Set([...pages, ...sections])];
}

/** Serious and critical findings only, each as "rule: target" so a failure says where to look. */

describe('accessibility (axe-core in Chromium)', () => {
  const { open, start } = useAppSession();
  const tempDir = useTempDirs();

  for (const theme of THEMES) {
    for (const language of LANGUAGES) {
      it(`has no serious or critical violation on any page, ${theme} theme, ${language}`, async () => {
        const host = await start();
        const page = await open(host.url);
        await page.getByRole('navigation').waitFor();
        await choose(page, theme, language);
        const found: string[] = [];
        const all = await addresses(page);
        expect(all.length).toBeGreaterThan(8);
        // Pages the navigation reaches only through a campaign: the composer (and a list with a row).
        const draft = await hostCall(host.url, 'campaigns.create', { name: 'Axe draft', template: 'Hi {nmae|babe}', personalization: 'ai_batched' });
        if (!draft.ok) throw new Error(draft.error.code);
        all.push(`/campaigns/${draft.value.id}/edit`, '/campaigns');
        for (const address of all) {
          await page.goto(new URL(address, page.url()).href);
          await page.locator('h1').first().waitFor();
          for (const f of await findings(page)) found.push(`${address} ${f}`);
        }
        expect(found).toEqual([]);
        // One test walks every page of the navigation with axe: its budget grows with the pages.
      }, 120_000);
    }
  }

  it('has no serious or critical violation on a campaign page with its recipient table, both themes, both languages', async () => {
    const host = await start();
    const page = await open(host.url);
    await page.getByRole('navigation').waitFor();
    const { campaign } = await campaignFixture(host.url, tempDir(), 30, { perMinute: 60, minSpacingSeconds: 1, burst: 10 });
    await generated(host.url, campaign.id, 30);
    const found: string[] = [];
    for (const theme of THEMES) {
      for (const language of LANGUAGES) {
        await choose(page, theme, language);
        await page.goto(new URL(`/campaigns/${campaign.id}`, page.url()).href);
        await page.getByTestId('recipient-row').first().waitFor();
        // A row selected from the keyboard, with its message shown in full below the table.
        await page.getByTestId('recipients-table').focus();
        await page.keyboard.press('ArrowDown');
        await page.getByTestId('recipient-detail').waitFor();
        for (const f of await findings(page)) found.push(`${theme}/${language} ${f}`);
      }
    }
    expect(found).toEqual([]);
  }, 120_000);

  it('offers a skip link as the first Tab stop, and arrow keys move between the Settings tabs', async () => {
    const host = await start();
    const page = await open(host.url);
    await page.getByRole('navigation').waitFor();
    await page.locator('body').focus();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.className')).toBe('skip-link');
    expect(await skip.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('main');

    await page.goto(new URL('/settings', page.url()).href);
    await page.getByRole('tab', { name: 'General' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/settings/providers');
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('settings-tab-providers');
    await page.keyboard.press('End');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/settings/about');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/settings');
    // One tab stop for the whole list: only the selected tab is in the Tab order.
    expect(await page.locator('[role="tab"][tabindex="0"]').count()).toBe(1);
  });

  it('is usable at 800 px wide: no page scrolls sideways', async () => {
    const host = await start();
    const page = await open(host.url);
    await page.setViewportSize({ width: 800, height: 700 });
    await page.getByRole('navigation').waitFor();
    const wide: string[] = [];
    for (const address of await addresses(page)) {
      await page.goto(new URL(address, page.url()).href);
      await page.locator('h1').first().waitFor();
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      if (overflow > 0) wide.push(`${address} +${overflow}px`);
    }
    expect(wide).toEqual([]);
  });
});
