import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';
import { hostCall } from '../support/host-call';
import { useTempDirs } from '../support/tmp';

/**
 * The Limits page in Chromium against the browser host, in Sandbox mode: sends go through the
 * real queue and limiter to the Sandbox OnlyFans server, which judges their pace.
 */
describe('Limits page and Quick send, in Chromium against the browser host', () => {
  const { open, start, pageErrors } = useAppSession();
  const tempDir = useTempDirs();

  interface AccountSetup {
    language?: 'en' | 'fr';
    /** The demo creator Mia Rose is moved to this transport first. */
    transport?: 'sandbox' | 'export' | 'onlyfans_http';
    baseUrl?: string;
  }

  /** Moves the demo creator Mia Rose to another transport through Settings → Accounts, then back to the Limits page. */
  async function moveMia(page: Page, transport: AccountSetup['transport'], baseUrl?: string) {
    await page.goto(new URL('/settings/accounts', page.url()).href);
    await page.getByTestId('account-row').filter({ hasText: 'Mia Rose' }).getByRole('button', { name: 'Edit' }).click();
    const form = page.getByTestId('account-form');
    await form.locator('#account-transport').selectOption(transport ?? 'sandbox');
    if (baseUrl) await form.locator('#account-base-url').fill(baseUrl);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Limits' }).click();
  }

  /**
   * Sandbox mode on, in the language asked: it opens with three demo creators sending to the
   * Sandbox OnlyFans server. Answers the card of one of them, Mia Rose.
   */
  async function sandboxWithAccount(page: Page, { language = 'en', transport = 'sandbox', baseUrl }: AccountSetup = {}): Promise<Locator> {
    await page.getByRole('navigation').waitFor();
    await page.goto(new URL('/settings', page.url()).href);
    await page.getByRole('switch').check();
    await page.getByTestId('sandbox-banner').waitFor();
    if (transport !== 'sandbox') await moveMia(page, transport, baseUrl);
    if (language !== 'en') {
      await page.goto(new URL('/settings', page.url()).href);
      await page.locator('select#language').selectOption(language);
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
    }
    await page.goto(new URL('/limits', page.url()).href);
    const card = page.getByTestId('limit-card').filter({ hasText: 'Mia Rose' });
    await card.getByTestId('queue-depth').waitFor();
    await page.getByTestId('quick-send').locator('#quick-account').selectOption({ label: 'Mia Rose' });
    return card;
  }

  async function quickSend(page: Page, fan: string, text: string, button = 'Send') {
    const form = page.getByTestId('quick-send');
    await form.locator('#quick-chat').fill(fan);
    await form.locator('#quick-text').fill(text);
    await form.getByRole('button', { name: button }).click();
    // Cleared only once the core has queued it.
    await expect.poll(() => form.locator('#quick-text').inputValue()).toBe('');
  }

  const rows = (list: Locator, state: string) => list.locator(`[data-testid="send-row"][data-state="${state}"]`);

  it('explains the page and links to Settings → Accounts when there is no account', async () => {
    const host = await start();
    const page = await open(host.url);
    await page.getByRole('navigation').waitFor();
    await page.getByRole('link', { name: 'Limits' }).click();
    const empty = page.getByTestId('limits-empty');
    await empty.filter({ hasText: 'No creator account yet' }).waitFor();
    await empty.getByRole('link', { name: 'Go to Settings → Accounts' }).click();
    await page.getByRole('tab', { name: 'Accounts', selected: true }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('quick-sends three messages to one account and shows them queue and go out one at a time, within the pace', async () => {
    const host = await start();
    const page = await open(host.url);
    const card = await sandboxWithAccount(page);
    const sends = page.getByTestId('account-sends').filter({ hasText: 'Mia Rose' });
    await card.getByTestId('budget-used').filter({ hasText: '0 of 10 in the last minute' }).waitFor();
    await expect.poll(() => card.getByTestId('next-slot').textContent()).toBe('now');

    for (const n of [1, 2, 3]) await quickSend(page, `fan-${n}`, `Hello number ${n}`);
    await expect.poll(() => sends.getByTestId('send-row').count()).toBe(3);
    // The account allows one message every 6 s (10 a minute, no burst): they wait their turn,
    // so the queue is seen going down one by one rather than all three leaving together.
    await expect.poll(() => card.getByTestId('queue-depth').textContent(), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => card.getByTestId('queue-depth').textContent(), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => rows(sends, 'sent').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => card.getByTestId('budget-used').textContent()).toBe('3 of 10 in the last minute');
    await expect.poll(() => card.getByTestId('sent-day').textContent()).toBe('3');
    await expect.poll(() => page.locator('[data-testid="quick-recent"][data-state="sent"]').count()).toBe(3);

    const report = await hostCall(host.url, 'sandbox.sendReport', {});
    expect(report).toMatchObject({ ok: true, value: { received: 3, violations: 0 } });
    // The page says so too, in the operator's words.
    await page.getByTestId('sandbox-report').filter({ hasText: 'Sandbox OnlyFans server: 3 messages received, 0 sent faster than the account allows.' }).waitFor();
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('shows a faulted send as a typed, translated error on the card, and the retry delivers it', async () => {
    const host = await start();
    const page = await open(host.url);
    const card = await sandboxWithAccount(page, { language: 'fr' });
    const sends = page.getByTestId('account-sends').filter({ hasText: 'Mia Rose' });

    await card.locator('summary').click();
    const fault = card.getByTestId('send-fault');
    await fault.locator('select').selectOption('server_error');
    await fault.getByRole('button', { name: 'Appliquer' }).click();
    await card.getByTestId('send-fault-applied').filter({ hasText: 'Le prochain envoi reçoit : Erreur serveur (500).' }).waitFor();

    await quickSend(page, 'fan-9', 'Bonjour', 'Envoyer');
    const error = card.getByTestId('last-error');
    await error.filter({ hasText: 'La plateforme a eu une erreur serveur — nouvel essai' }).waitFor({ timeout: 30_000 });
    expect(await error.getAttribute('data-reason')).toBe('server_error');
    await expect.poll(() => rows(sends, 'sent').count(), { timeout: 30_000 }).toBe(1);

    const report = await hostCall(host.url, 'sandbox.sendReport', {});
    expect(report).toMatchObject({ ok: true, value: { received: 1, violations: 0 } });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('refuses a restricted word inline, with the word, keeping everything typed, and names a missing fan id at its field', async () => {
    const host = await start();
    const page = await open(host.url);
    await sandboxWithAccount(page);
    const sends = page.getByTestId('account-sends').filter({ hasText: 'Mia Rose' });
    const form = page.getByTestId('quick-send');

    await form.locator('#quick-chat').fill('fan-1');
    await form.locator('#quick-price').fill('4.99');
    await form.locator('#quick-text').fill('Tip me on PayPal instead');
    await form.getByRole('button', { name: 'Send' }).click();
    await form.getByTestId('quick-text-error').filter({ hasText: 'This message contains a restricted word: “paypal”. It was not sent.' }).waitFor();
    expect(await form.locator('#quick-text').getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('#quick-text').inputValue()).toBe('Tip me on PayPal instead');
    expect(await form.locator('#quick-chat').inputValue()).toBe('fan-1');
    expect(await form.locator('#quick-price').inputValue()).toBe('4.99');

    await form.locator('#quick-chat').fill('');
    await form.locator('#quick-text').fill('Hello');
    await form.getByRole('button', { name: 'Send' }).click();
    await form.locator('#quick-chat-note.error').filter({ hasText: 'Must have at least 1 characters.' }).waitFor();
    expect(await form.locator('#quick-text').inputValue()).toBe('Hello');

    await form.locator('#quick-chat').fill('fan-1');
    await form.locator('#quick-price').fill('abc');
    await form.getByRole('button', { name: 'Send' }).click();
    await form.locator('#quick-price-note.error').filter({ hasText: 'Type an amount in dollars, such as 4.99.' }).waitFor();

    expect(await hostCall(host.url, 'sends.list', {})).toEqual({ ok: true, value: [] });
    expect(await sends.getByTestId('send-row').count()).toBe(0);
    const report = await hostCall(host.url, 'sandbox.sendReport', {});
    expect(report).toMatchObject({ ok: true, value: { received: 0 } });
    expect(pageErrors).toEqual([]);
  });

  it('pauses an account, holds its sends, cancels them on confirmation, and sends again once resumed', async () => {
    const host = await start();
    const page = await open(host.url);
    const card = await sandboxWithAccount(page);
    const sends = page.getByTestId('account-sends').filter({ hasText: 'Mia Rose' });
    await card.getByRole('button', { name: 'Pause' }).click();
    await card.getByTestId('badge-paused').waitFor();

    await quickSend(page, 'fan-1', 'Held 1');
    await quickSend(page, 'fan-2', 'Held 2');
    await expect.poll(() => card.getByTestId('queue-depth').textContent()).toBe('2');
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await card.getByRole('button', { name: 'Cancel queued' }).click();
    await expect.poll(() => rows(sends, 'cancelled').count()).toBe(2);
    expect(dialogs).toEqual(['Cancel the 2 messages waiting for Mia Rose? They will not be sent.']);
    await expect.poll(() => card.getByTestId('queue-depth').textContent()).toBe('0');

    await card.getByRole('button', { name: 'Resume' }).click();
    await card.getByTestId('badge-paused').waitFor({ state: 'detached' });
    await quickSend(page, 'fan-3', 'Goes');
    await expect.poll(() => rows(sends, 'sent').count(), { timeout: 30_000 }).toBe(1);
    // Only the message sent after resuming reached the platform.
    expect(await hostCall(host.url, 'sandbox.sendReport', {})).toMatchObject({ ok: true, value: { received: 1, violations: 0 } });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('hands an export account’s messages to the operator and counts them sent only when the operator says so', async () => {
    const host = await start();
    const page = await open(host.url);
    await sandboxWithAccount(page, { transport: 'export' });
    const sends = page.getByTestId('account-sends').filter({ hasText: 'Mia Rose' });
    const box = sends.getByTestId('export-box');

    await quickSend(page, 'fan-1', 'By hand 1');
    await quickSend(page, 'fan-2', 'By hand 2');
    await expect.poll(() => rows(sends, 'queued').count()).toBe(2);
    await box.getByRole('button', { name: 'Copy for manual sending' }).click();
    // Shown as well as copied: a clipboard the browser refuses loses nothing.
    const text = box.getByRole('textbox', { name: 'Messages to send' });
    await expect.poll(() => text.inputValue()).toContain('By hand 1');
    expect(await text.inputValue()).toContain('By hand 2');
    await expect.poll(() => rows(sends, 'sending').count()).toBe(2);
    await box.getByText('2 exported messages wait for your answer.').waitFor();
    await box.getByRole('button', { name: 'I sent them' }).click();
    await expect.poll(() => rows(sends, 'sent').count()).toBe(2);

    await quickSend(page, 'fan-3', 'By hand 3');
    await expect.poll(() => rows(sends, 'queued').count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), box.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('huntaze-demo.mia.rose-messages.csv');
    await box.getByText('1 exported message waits for your answer.').waitFor();
    await box.getByRole('button', { name: 'Not sent' }).click();
    const failed = rows(sends, 'failed');
    await failed.getByTestId('send-reason').filter({ hasText: 'You said this exported message was not sent' }).waitFor();
    await failed.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => rows(sends, 'queued').count()).toBe(1);

    // Nothing of an export account goes through a transport.
    expect(await hostCall(host.url, 'sandbox.sendReport', {})).toMatchObject({ ok: true, value: { received: 0 } });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('fails a send the account cannot make with a reason in words, and Retry delivers it once the account is fixed', async () => {
    const host = await start();
    const page = await open(host.url);
    // An API account in the Sandbox holds no key: it cannot send.
    const card = await sandboxWithAccount(page, { transport: 'onlyfans_http', baseUrl: 'http://127.0.0.1:9' });
    const sends = page.getByTestId('account-sends').filter({ hasText: 'Mia Rose' });
    await quickSend(page, 'fan-1', 'Needs a way out');
    const failed = rows(sends, 'failed');
    await failed.getByTestId('send-reason').filter({ hasText: 'This account cannot send yet: it has no API key or no way to send' }).waitFor();
    await expect.poll(() => card.getByTestId('last-error').getAttribute('data-reason')).toBe('not_configured');

    await moveMia(page, 'sandbox');

    await rows(sends, 'failed').getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => rows(sends, 'sent').count(), { timeout: 30_000 }).toBe(1);
    expect(await hostCall(host.url, 'sandbox.sendReport', {})).toMatchObject({ ok: true, value: { received: 1, violations: 0 } });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('has no serious or critical axe finding with accounts, sends and the Sandbox control on screen, in both themes and languages, and fits 800 px', async () => {
    const host = await start();
    const page = await open(host.url);
    const card = await sandboxWithAccount(page);
    const sends = page.getByTestId('account-sends').filter({ hasText: 'Mia Rose' });
    await quickSend(page, 'fan-1', 'Hello');
    await expect.poll(() => rows(sends, 'sent').count(), { timeout: 30_000 }).toBe(1);

    const found: string[] = [];
    for (const theme of ['light', 'dark']) {
      for (const language of ['en', 'fr']) {
        await page.goto(new URL('/settings', page.url()).href);
        await page.locator('select#theme').selectOption(theme);
        await page.locator('select#language').selectOption(language);
        await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
        await page.goto(new URL('/limits', page.url()).href);
        await sends.getByTestId('send-row').first().waitFor();
        await card.locator('summary').click();
        await card.getByTestId('send-fault').waitFor();
        const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        for (const v of result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
          for (const n of v.nodes) found.push(`${theme}/${language} ${v.id}: ${n.target.join(' ')}`);
        }
      }
    }
    expect(found).toEqual([]);

    await page.setViewportSize({ width: 800, height: 700 });
    await expect.poll(() => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('sends from the keyboard alone: Tab through Quick send in order, Enter on Send', async () => {
    const host = await start();
    const page = await open(host.url);
    await sandboxWithAccount(page);
    const sends = page.getByTestId('account-sends').filter({ hasText: 'Mia Rose' });
    await page.locator('#quick-account').focus();
    const focused = () => page.evaluate('document.activeElement && document.activeElement.id');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('quick-chat');
    await page.keyboard.type('fan-7');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('quick-price');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('quick-text');
    await page.keyboard.type('Typed, never clicked');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await sends.getByTestId('send-row').filter({ hasText: 'Typed, never clicked' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('after a kill -9 mid-send that nobody can check, shows the send as unknown, explains it, and lets the operator mark it sent', async () => {
    const dataDir = tempDir();
    const host = await start(dataDir);
    const page = await open(host.url);
    const card = await sandboxWithAccount(page);
    const sends = page.getByTestId('account-sends').filter({ hasText: 'Mia Rose' });
    // The Sandbox server holds the next send unanswered: it stays in `sending`.
    await card.locator('summary').click();
    await card.getByTestId('send-fault').locator('select').selectOption('timeout');
    await card.getByTestId('send-fault').getByRole('button', { name: 'Apply' }).click();
    await card.getByTestId('send-fault-applied').waitFor();
    await quickSend(page, 'fan-1', 'Did this go?');
    await rows(sends, 'sending').waitFor();
    // While it hangs, the account loses its way out (an API account holds no key in the Sandbox),
    // so after the restart nothing can be asked whether the message arrived.
    await moveMia(page, 'onlyfans_http', 'http://127.0.0.1:9');
    await rows(sends, 'sending').waitFor();
    // Closed first: a tab left open would only log its attempts to reach the dead host.
    await page.close();
    await host.stop('SIGKILL');

    const again = await start(dataDir);
    const after = await open(again.url);
    await after.getByRole('navigation').waitFor();
    await after.goto(new URL('/limits', after.url()).href);
    const miaSends = after.getByTestId('account-sends').filter({ hasText: 'Mia Rose' });
    const unknown = rows(miaSends, 'unknown');
    await unknown.filter({ hasText: 'Did this go?' }).waitFor();
    expect(await unknown.getByTestId('send-state').textContent()).toBe('Unknown');
    expect(await unknown.textContent()).toContain('Huntaze could not tell whether this message went out.');
    await unknown.getByRole('button', { name: 'Mark as sent' }).click();
    await rows(miaSends, 'sent').filter({ hasText: 'Did this go?' }).waitFor();
    expect(await hostCall(again.url, 'sends.list', { states: ['unknown'] })).toEqual({ ok: true, value: [] });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
