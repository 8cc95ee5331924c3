import { describe, expect, it } from 'vitest';
import { useAppSession } from '../support/app-session';
import { hostCall } from '../support/host-call';

/**
 * A line already on screen (a save's outcome, a refused word) is re-worded when the language
 * changes while it shows: the change comes from another window, as the picker in this one would
 * take the operator off the screen that shows the line.
 */
describe('notices follow the operator’s language while they show (browser host, Chromium)', () => {
  const { open, start, pageErrors } = useAppSession();

  it('re-words a saved notice and a refused word’s problem in French, then back in English', async () => {
    const host = await start();
    const general = await open(host.url);
    await general.getByRole('navigation').waitFor();
    await general.goto(new URL('/settings', general.url()).href);
    await general.locator('#operatorName').fill('Ana');
    await general.getByRole('button', { name: 'Save' }).click();
    const saved = general.getByRole('status').filter({ hasText: /Settings saved\.|Réglages enregistrés\./ });
    await expect.poll(() => saved.textContent()).toBe('Settings saved.');

    const accounts = await open(host.url);
    await accounts.getByRole('navigation').waitFor();
    await accounts.goto(new URL('/settings/accounts', accounts.url()).href);
    const words = accounts.getByTestId('restricted-words');
    await words.locator('#restricted-list').fill('a');
    await words.getByRole('button', { name: 'Save' }).click();
    const problem = words.locator('#restricted-note.error');
    await expect.poll(() => problem.textContent()).toMatch(/^“a”: /);
    const english = await problem.textContent();

    expect(await hostCall(host.url, 'settings.update', { language: 'fr' })).toMatchObject({ ok: true });
    for (const page of [general, accounts]) await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');
    await expect.poll(() => saved.textContent()).toBe('Réglages enregistrés.');
    await expect.poll(() => problem.textContent()).toMatch(/^« a » : /);
    expect(await problem.textContent()).not.toContain(english!.slice(5));

    expect(await hostCall(host.url, 'settings.update', { language: 'en' })).toMatchObject({ ok: true });
    await expect.poll(() => saved.textContent()).toBe('Settings saved.');
    await expect.poll(() => problem.textContent()).toBe(english);
    expect(pageErrors).toEqual([]);
  });
});
