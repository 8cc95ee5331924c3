import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';
import { useSlackStandIns } from '../support/slack';

describe('Settings → Alert channels, in Chromium against the browser host', () => {
  const { open, start, pageErrors } = useAppSession();
  const standIn = useSlackStandIns();

  async function openChannels(page: Page) {
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'Alert channels' }).click();
    await page.getByTestId('channel-slack').waitFor();
  }

  it('saves a Slack webhook without ever showing it again, sends a test and says it worked', async () => {
    const slack = await standIn();
    const host = await start(undefined, { HUNTAZE_TEST_LOOPBACK_WEBHOOKS: '1' });
    const page = await open(host.url);
    await openChannels(page);
    const card = page.getByTestId('channel-slack');
    expect(await card.getByTestId('secret-status-slack').textContent()).toBe('Not set');
    await card.getByLabel('Webhook URL').fill(slack.url);
    await card.getByRole('button', { name: 'Save', exact: true }).click();
    await card.getByRole('status').filter({ hasText: 'Saved. It will not be shown again.' }).waitFor();
    await expect.poll(() => card.getByTestId('secret-status-slack').textContent()).toBe('Set');
    expect(await card.getByLabel('Webhook URL').inputValue()).toBe('');

    await card.getByRole('button', { name: 'Send test' }).click();
    await card.getByTestId('test-result-slack').filter({ hasText: 'Test message sent.' }).waitFor();
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]!.blocks[0]!.type).toBe('header');

    // Slack refuses the next one: its own word reaches the operator.
    slack.script({ status: 404, body: 'no_service' });
    await card.getByRole('button', { name: 'Send test' }).click();
    await card.getByTestId('test-result-slack').filter({ hasText: 'Not found: the topic or webhook does not exist (HTTP 404): no_service' }).waitFor();
    expect(await page.content()).not.toContain(new URL(slack.url).pathname);
    expect(pageErrors).toEqual([]);
  });

  it('shows a clear error for a bad topic ARN next to the field, and keeps the saved one', async () => {
    const host = await start();
    const page = await open(host.url);
    await openChannels(page);
    const card = page.getByTestId('channel-sns');
    await card.getByLabel('AWS region').fill('eu-west-1');
    await card.getByLabel('Topic ARN').fill('arn:aws:sns:eu-west-1:123456789012:huntaze-alerts');
    await card.getByRole('button', { name: 'Save', exact: true }).first().click();
    await card.getByRole('status').filter({ hasText: 'Channel settings saved.' }).waitFor();

    await card.getByLabel('Topic ARN').fill('arn:aws:sqs:eu-west-1:huntaze');
    await card.getByRole('button', { name: 'Save', exact: true }).first().click();
    await card.locator('#sns-topicArn-note.error').filter({ hasText: 'Must be an SNS topic ARN' }).waitFor();
    expect(await card.getByLabel('Topic ARN').getAttribute('aria-invalid')).toBe('true');

    await page.reload();
    await page.getByTestId('channel-sns').waitFor();
    expect(await page.getByTestId('channel-sns').getByLabel('Topic ARN').inputValue()).toBe('arn:aws:sns:eu-west-1:123456789012:huntaze-alerts');
    // Send test with no credentials says what is missing instead of trying.
    await page.getByTestId('channel-sns').getByRole('button', { name: 'Send test' }).click();
    await page.getByTestId('test-result-sns').filter({ hasText: 'Not configured' }).waitFor();
  });

  it('shows a fired alert as a toast that opens the alert', async () => {
    const host = await start();
    const page = await open(host.url);
    await openChannels(page);
    await page.getByTestId('channel-os').getByRole('button', { name: 'Send test' }).click();
    const toast = page.getByTestId('alert-toast');
    await toast.waitFor();
    expect(await toast.textContent()).toContain('reached 50% of its monthly budget');
    await toast.getByRole('button').first().click();
    await page.getByTestId('alert-id').waitFor();
    expect(await page.getByTestId('alert-id').textContent()).toMatch(/^test-\d+$/);
    expect(new URL(page.url()).pathname).toMatch(/^\/alerts\/test-\d+$/);
  });
});
