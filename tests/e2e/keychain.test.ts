import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { KEY_FILE } from '../../main/secrets';
import { useAppSession } from '../support/app-session';
import { hostCall } from '../support/host-call';
import { useLockedKeyrings } from '../support/locked-keyring';
import { useTempDirs } from '../support/tmp';

// A bus address nothing listens on: the keychain module reports a platform failure (absent).
const NO_KEYCHAIN = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/huntaze-bus' };
const LINUX = process.platform === 'linux';

const CASES = [
  { theme: 'light', language: 'en', file: 'Huntaze is keeping its encryption key in a file', locked: 'Your keychain is locked', gotIt: 'Got it', retry: 'Try the keychain again', tryAgain: 'Try again', linux: 'gnome-keyring' },
  { theme: 'dark', language: 'fr', file: 'Huntaze garde sa clé de chiffrement dans un fichier', locked: 'Votre trousseau est verrouillé', gotIt: 'Compris', retry: 'Réessayer le trousseau', tryAgain: 'Réessayer', linux: 'gnome-keyring' },
] as const;

async function findings(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

// Chosen before the page opens: a change made while the page is still subscribing could be missed.
async function choose(hostUrl: string, theme: string, language: string) {
  const r = await hostCall(hostUrl, 'settings.update', { theme: theme as 'light' | 'dark', language: language as 'en' | 'fr' });
  expect(r.ok).toBe(true);
}

async function shown(page: Page, theme: string, language: string) {
  await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
}

describe('secrets on this OS: the key-file notice and the locked-keychain prompt (browser host, Chromium)', () => {
  const { open, start, pageErrors } = useAppSession();
  const tempDir = useTempDirs();
  const lockedKeyring = useLockedKeyrings(tempDir);

  for (const c of CASES) {
    it(`shows the key-file notice on every page until Got it, and never again after (${c.language}, ${c.theme})`, async () => {
      const dataDir = tempDir();
      const host = await start(dataDir, NO_KEYCHAIN);
      await choose(host.url, c.theme, c.language);
      const page = await open(host.url);
      await shown(page, c.theme, c.language);
      const notice = page.getByRole('region', { name: c.file });
      await notice.waitFor();
      if (LINUX) await expect.poll(() => notice.textContent()).toContain(c.linux);
      expect(await findings(page)).toEqual([]);

      // Not only in Settings: the costs page shows it too.
      await page.goto(new URL('/costs', page.url()).href);
      await page.locator('h1').first().waitFor();
      await notice.waitFor();

      // Still no keychain: Try again says so and the notice stays.
      await notice.getByRole('button', { name: c.retry }).click();
      await page.getByTestId('keychain-outcome').waitFor();
      expect(await notice.isVisible()).toBe(true);

      await notice.getByRole('button', { name: c.gotIt }).click();
      await notice.waitFor({ state: 'detached' });
      expect(await hostCall(host.url, 'keychain.status', {})).toMatchObject({ ok: true, value: { state: 'key-file', notice: false } });

      // Remembered across a restart of the host (the page goes first: it would report the lost host).
      await page.close();
      await host.stop();
      const again = await start(dataDir, NO_KEYCHAIN);
      const reopened = await open(again.url);
      await reopened.getByRole('navigation').waitFor();
      await reopened.locator('h1').first().waitFor();
      await expect.poll(async () => (await hostCall(again.url, 'keychain.status', {})).ok).toBe(true);
      expect(await reopened.getByTestId('keychain-notice').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it(`prompts to unlock a locked keychain, Try again says it still is, and no key file is made (${c.language}, ${c.theme})`, async () => {
      const keyring = await lockedKeyring();
      const dataDir = tempDir();
      const host = await start(dataDir, keyring.env);
      await choose(host.url, c.theme, c.language);
      const page = await open(host.url);
      await shown(page, c.theme, c.language);
      const prompt = page.getByRole('region', { name: c.locked });
      await prompt.waitFor();
      expect(await prompt.getByRole('button', { name: c.gotIt }).count()).toBe(0);
      expect(await findings(page)).toEqual([]);

      // Still locked: Try again says so.
      await prompt.getByRole('button', { name: c.tryAgain, exact: true }).click();
      await page.getByTestId('keychain-outcome').waitFor();
      // A call that needs the keychain gets the typed error, not a failure.
      expect(await hostCall(host.url, 'providers.setKey', { provider: 'openai', apiKey: 'sk-while-locked-1' })).toMatchObject({ ok: false, error: { code: 'keychain_locked' } });

      // Nothing was forked meanwhile: no key file in the data folder. (Unlocking, then Try again
      // without a restart, is tested against the real keychain in tests/integration/secrets-keychain.test.ts.)
      expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
      expect(pageErrors).toEqual([]);
    });
  }
});
