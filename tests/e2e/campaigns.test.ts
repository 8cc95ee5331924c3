import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../shared/accounts';
import type { Fan } from '../../shared/audiences';
import { renderTemplate } from '../../shared/template';
import { useAppSession } from '../support/app-session';
import { hostCall } from '../support/host-call';
import { useTempDirs } from '../support/tmp';

/**
 * The Campaigns list and the composer in Chromium against the browser host, in Sandbox mode:
 * the demo creators' fans come from the OnlyFans sandbox, and nothing here needs the AI provider.
 */
describe('Campaigns list and composer, in Chromium against the browser host', () => {
  const { open, start, pageErrors } = useAppSession();
  const tempDir = useTempDirs();

  const value = async <T>(hostUrl: string, method: Parameters<typeof hostCall>[1], input: unknown): Promise<T> => {
    const r = await hostCall(hostUrl, method, input as never);
    if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
    return r.value as T;
  };

  /** Sandbox mode on, and Mia Rose's fans fetched from the OnlyFans sandbox. */
  async function sandboxWithFans(hostUrl: string): Promise<Account> {
    await value(hostUrl, 'settings.update', { sandboxMode: true });
    const mia = (await value<Account[]>(hostUrl, 'accounts.list', {})).find((a) => a.name === 'Mia Rose')!;
    await value(hostUrl, 'audiences.fetch', { accountId: mia.id });
    return mia;
  }

  const saved = (page: Page) => expect.poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('saved');

  it('composes a draft from the keyboard shortcut, keeps it across a reload and a host restart, then lists, duplicates and archives it', async () => {
    const dataDir = tempDir();
    const host = await start(dataDir);
    const mia = await sandboxWithFans(host.url);
    const page = await open(host.url);
    await page.getByRole('navigation').waitFor();
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByTestId('campaigns-empty').waitFor();

    await page.keyboard.press('Control+n');
    await page.getByRole('heading', { name: 'Compose a campaign' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/campaigns\/[A-Za-z0-9-]+\/edit$/);
    const id = new URL(page.url()).pathname.split('/')[2]!;
    expect(await page.getByLabel('Campaign name').inputValue()).toBe('Untitled campaign');

    await page.getByLabel('Campaign name').fill('Spring whales');
    await page.getByLabel('Creator account').selectOption({ label: 'Mia Rose' });
    const whales = page.getByTestId('segment-count-whales');
    await expect.poll(() => whales.textContent()).toMatch(/^\d+$/);
    const count = Number(await whales.textContent());
    expect(count).toBeGreaterThan(0);
    await page.getByRole('radio', { name: 'Whales (top spenders)' }).check();
    await expect.poll(() => page.getByTestId('audience-total').textContent()).toBe(`${count} fan${count === 1 ? '' : 's'} in this audience.`);

    // A misspelt variable is flagged at its text, with the fix named.
    const template = page.getByLabel('Message template');
    await template.fill('Hi {nmae|babe}, a treat for you');
    const problems = page.getByTestId('template-problems');
    await problems.filter({ hasText: '“{nmae|babe}” (character 4): nmae is not a variable.' }).waitFor();
    await problems.getByRole('button', { name: 'Use name' }).waitFor();
    // Fixed by writing it again with the chip: the fallback comes selected, typed over.
    await template.fill('Hi , a treat for you');
    await template.press('Home');
    for (let i = 0; i < 3; i++) await template.press('ArrowRight');
    await page.getByTestId('chip-firstName').click();
    await page.keyboard.type('love');
    await expect.poll(() => template.inputValue()).toBe('Hi {firstName|love}, a treat for you');
    await problems.waitFor({ state: 'detached' });

    // Ctrl+S saves now; the preview is rendered on the audience's real fans.
    await page.keyboard.press('Control+s');
    await saved(page);
    const fans = await value<{ fans: Fan[] }>(host.url, 'audiences.list', { accountId: mia.id, segment: { all: [{ kind: 'spend_tier', tiers: ['whale'] }], any: [] }, limit: 5 });
    const expected = fans.fans.map((f) => renderTemplate('Hi {firstName|love}, a treat for you', f));
    await expect.poll(() => page.getByTestId('preview-item').evaluateAll((items) => items.map((li) => (li as unknown as { lastChild: { textContent: string | null } | null }).lastChild?.textContent ?? ''))).toEqual(expected);
    expect(expected.some((text) => text !== 'Hi love, a treat for you')).toBe(true);

    const intact = async (p: Page) => {
      await expect.poll(() => p.getByLabel('Campaign name').inputValue()).toBe('Spring whales');
      expect(await p.getByLabel('Message template').inputValue()).toBe('Hi {firstName|love}, a treat for you');
      // The account list and the segment counts arrive after the draft: the select shows the account once its option exists.
      await expect.poll(() => p.getByLabel('Creator account').inputValue()).toBe(mia.id);
      await expect.poll(() => p.getByRole('radio', { name: 'Whales (top spenders)' }).isChecked()).toBe(true);
    };
    await page.reload();
    await intact(page);

    // A last edit, flushed as the tab closes, then the host restarts on the same data.
    await page.getByLabel('Campaign name').fill('Spring whales, VIP');
    await page.keyboard.press('Control+s');
    await saved(page);
    await page.close();
    await host.stop();
    const again = await start(dataDir);
    const after = await open(new URL(`/campaigns/${id}/edit${new URL(again.url).hash}`, again.url).href);
    await expect.poll(() => after.getByLabel('Campaign name').inputValue()).toBe('Spring whales, VIP');
    expect(await after.getByLabel('Message template').inputValue()).toBe('Hi {firstName|love}, a treat for you');

    await after.getByRole('link', { name: 'Back to Campaigns' }).click();
    const row = after.getByTestId('campaign-row').filter({ hasText: 'Spring whales, VIP' });
    await row.waitFor();
    expect(await row.getByTestId('campaign-state').textContent()).toBe('Draft');
    expect(await row.textContent()).toContain('Mia Rose');

    await row.getByRole('button', { name: 'Duplicate Spring whales, VIP' }).click();
    const copy = after.getByTestId('campaign-row').filter({ hasText: 'Spring whales, VIP (copy)' });
    await copy.waitFor();
    await copy.getByRole('button', { name: 'Archive Spring whales, VIP (copy)' }).click();
    await copy.waitFor({ state: 'detached' });
    await after.getByTestId('archive-toggle').click();
    await copy.waitFor();
    expect(await after.getByTestId('campaign-row').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('starts from an empty list with a New campaign button; Back from the composer returns to the list; in French too', async () => {
    const host = await start();
    await sandboxWithFans(host.url);
    await value(host.url, 'settings.update', { language: 'fr' });
    const page = await open(new URL(`/campaigns${new URL(host.url).hash}`, host.url).href);
    const empty = page.getByTestId('campaigns-empty');
    await empty.filter({ hasText: 'Aucune campagne pour l’instant' }).waitFor();
    const button = empty.getByRole('button', { name: 'Nouvelle campagne' });
    expect(await button.getAttribute('aria-keyshortcuts')).toBe('Control+N Meta+N');
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Composer une campagne' }).waitFor();
    expect(await page.getByLabel('Nom de la campagne').inputValue()).toBe('Campagne sans titre');
    await page.getByLabel('Modèle du message').fill('Coucou {firstName|toi} }');
    await page.getByTestId('template-problems').filter({ hasText: 'Cette accolade fermante n’a pas d’ouvrante' }).waitFor();
    // Generating an incomplete draft says what is missing, at each field.
    await page.getByRole('button', { name: 'Préparer les messages à partir du modèle' }).click();
    await page.getByTestId('generate-error').filter({ hasText: 'pas encore complète' }).waitFor();
    await page.getByText('Choisissez le compte de la créatrice qui l’envoie.').waitFor();
    expect(await page.getByLabel('Compte de la créatrice').getAttribute('aria-invalid')).toBe('true');
    await saved(page);
    await page.goBack();
    await page.getByTestId('campaign-row').filter({ hasText: 'Campagne sans titre' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/campaigns');
    expect(pageErrors).toEqual([]);
  }, 60_000);
  it('follows a campaign live in the list: ready, then done at 100% once its sends settle, without a reload', async () => {
    const host = await start();
    const mia = await sandboxWithFans(host.url);
    // The fastest pace an account allows, and a handful of fans (big spenders tagged VIP), so the sends go in seconds.
    await value(host.url, 'accounts.update', { id: mia.id, name: mia.name, platformAccountId: mia.platformAccountId, transport: mia.transport, limits: { perMinute: 60, minSpacingSeconds: 1, burst: 10 } });
    const audience = { all: [{ kind: 'spend_tier', tiers: ['whale', 'big'] }, { kind: 'has_tag', tag: 'VIP' }], any: [] };
    const c = await value<{ id: string }>(host.url, 'campaigns.create', { name: 'VIP thanks', accountId: mia.id, audience, template: 'Thank you {firstName|love}' });
    await value(host.url, 'campaigns.generate', { id: c.id });
    const status = () => value<{ total: number; counts: { generated: number } }>(host.url, 'campaigns.status', { id: c.id });
    await expect.poll(async () => { const s = await status(); return s.total > 0 && s.counts.generated === s.total; }).toBe(true);
    const total = (await status()).total;

    const page = await open(new URL(`/campaigns${new URL(host.url).hash}`, host.url).href);
    const row = page.getByTestId('campaign-row').filter({ hasText: 'VIP thanks' });
    await row.filter({ hasText: `0% of ${total}` }).waitFor();
    expect(await row.getByTestId('campaign-state').textContent()).toBe('Ready');

    await value(host.url, 'campaigns.approve', { id: c.id });
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    await row.filter({ hasText: `100% of ${total}` }).waitFor();
    expect(await row.getByTestId('campaign-state').textContent()).toBe('Done');
    expect(await row.locator('progress').evaluate((el) => (el as unknown as { value: number }).value)).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
