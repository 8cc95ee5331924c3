import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';
import { useAwsGate } from '../support/aws-gate';
import { useDynalite } from '../support/dynalite';
import { useFauxqs } from '../support/fauxqs';
import { hostCall } from '../support/host-call';
import { TEST_KEYS } from '../support/team-aws';

async function axeFindings(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

describe('Settings → Team (AWS), in Chromium against the browser host (dynalite + fauxqs on loopback)', () => {
  const { open, start, pageErrors } = useAppSession();
  const startDynalite = useDynalite();
  const startFauxqs = useFauxqs();
  const startGate = useAwsGate();

  it('sets up the team layer from nothing: keys, Test access, Plan, Provision with progress, doctor all green', async () => {
    const dynamo = await startGate((await startDynalite()).endpoint, 'dynamodb');
    const sns = await startGate((await startFauxqs()).endpoint, 'sns');
    const host = await start();
    const page = await open(host.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'Team (AWS)' }).click();
    await page.getByTestId('team-steps').waitFor();

    const card = page.getByTestId('team-settings');
    await card.getByLabel('AWS region').fill('eu-west-1');
    await card.getByLabel('Name prefix').fill('agency');
    await card.getByLabel('DynamoDB endpoint (emulator only)').fill(dynamo.endpoint);
    await card.getByLabel('SNS endpoint (emulator only)').fill(sns.endpoint);
    await card.getByRole('button', { name: 'Save', exact: true }).first().click();
    await card.getByRole('status').filter({ hasText: 'Team settings saved.' }).waitFor();
    await card.locator('#alert-aws-accessKeyId').fill(TEST_KEYS.accessKeyId);
    await card.locator('#alert-aws-secretAccessKey').fill(TEST_KEYS.secretAccessKey);
    await card.locator('form.key-form').getByRole('button', { name: 'Save', exact: true }).click();
    await card.getByRole('status').filter({ hasText: 'Saved. It will not be shown again.' }).waitFor();
    await expect.poll(() => page.getByTestId('team-steps').count()).toBe(0);

    await page.getByRole('button', { name: 'Test AWS access' }).click();
    await page.getByTestId('team-access-result').filter({ hasText: 'Keys accepted' }).waitFor();
    // No table names the account yet: the line leaves it out rather than showing a placeholder.
    expect(await page.getByTestId('team-access-result').textContent()).toMatch(/^Keys accepted \(region eu-west-1\)\. /);
    await page.getByRole('button', { name: 'Show what would change' }).click();
    await page.getByTestId('team-plan').waitFor();
    expect(await page.getByTestId('team-plan').locator('li[data-action="create"]').count()).toBe(3);

    await page.getByRole('button', { name: 'Provision', exact: true }).click();
    await page.getByText('The SNS alert channel now points at the team topic', { exact: false }).waitFor();
    expect(await page.getByTestId('team-plan').locator('li[data-action="none"]').count()).toBe(5);
    // Every step reported its progress: each line shows the event's "Done".
    expect(await page.getByTestId('team-plan').locator('li').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Done Table agency-ai-costs$/)]));

    await page.getByRole('button', { name: 'Test AWS access' }).click();
    await page.getByTestId('team-access-result').filter({ hasText: 'Keys accepted (account 000000000000, region eu-west-1).' }).waitFor();
    await page.getByRole('button', { name: 'Run the doctor' }).click();
    await page.getByTestId('team-doctor').waitFor();
    expect(await page.getByTestId('team-doctor').locator('li').count()).toBeGreaterThan(10);
    expect(await page.getByTestId('team-doctor').locator('li:not([data-status="ok"])').allTextContents()).toEqual([]);
    expect(await page.getByTestId('team-policy').textContent()).toContain('arn:aws:dynamodb:eu-west-1:000000000000:table/agency-ai-costs');
    expect(await page.content()).not.toContain(TEST_KEYS.secretAccessKey);

    for (const [theme, language, doctor] of [['light', 'en', 'Run the doctor'], ['dark', 'fr', 'Lancer le diagnostic']] as const) {
      expect(await hostCall(host.url, 'settings.update', { theme, language })).toMatchObject({ ok: true });
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
      await page.getByRole('button', { name: doctor }).click();
      await page.getByTestId('team-doctor').locator('li').first().waitFor();
      expect(await axeFindings(page)).toEqual([]);
      // Refreshing the committed screenshots is asked for (HUNTAZE_SCREENSHOTS=1): a plain run leaves the tree clean.
      if (process.env.HUNTAZE_SCREENSHOTS === '1') await page.screenshot({ path: `docs/screenshots/team-${theme}-${language}.png`, fullPage: true });
    }
    expect(await page.getByTestId('team-doctor').textContent()).toContain('La table agency-ai-costs est prête.');

    await page.goBack();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/settings');
    expect(pageErrors).toEqual([]);
  });
});
