import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { useAppSession } from '../support/app-session';
import { hostCall } from '../support/host-call';
import { artifactPath, sha512Of, startUpdateFeed, type UpdateFeed } from '../support/update-feed';

/**
 * Settings → About with the desktop updater: the browser host is started with a loopback feed
 * (HUNTAZE_TEST_UPDATE_FEED), so the core runs electron-updater under Node as a packaged app would.
 */
describe('updates in Settings → About (browser host with a test feed, Chromium)', () => {
  const { open, start, pageErrors } = useAppSession();
  let feed: UpdateFeed | undefined;
  afterEach(async () => {
    await feed?.close();
    feed = undefined;
  });
  const next = '99.0.0';

  async function about(env: NodeJS.ProcessEnv) {
    const host = await start(undefined, env);
    const page = await open(host.url);
    await page.getByRole('navigation').waitFor();
    // Typed into the address bar: the tab keeps the host's token.
    await page.goto(`${new URL(host.url).origin}/settings/about`);
    const card = page.getByTestId('updates-card');
    await card.waitFor();
    return { host, page, card, state: card.getByTestId('update-state') };
  }

  it('finds a new version, downloads it in the background with progress shown, then offers Restart to update', async () => {
    feed = await startUpdateFeed();
    const bytes = randomBytes(2 * 1024 * 1024);
    feed.publish('latest', { version: next, bytes });
    const held = feed.hold(artifactPath(next));
    const { host, card, state } = await about({ HUNTAZE_TEST_UPDATE_FEED: feed.url });
    await state.filter({ hasText: 'checks for a new version shortly after it starts' }).waitFor();
    expect(await card.getByLabel('Release channel').inputValue()).toBe('stable');

    await card.getByRole('button', { name: 'Check now' }).click();
    await state.filter({ hasText: `Version ${next} found. Downloading it in the background` }).waitFor();
    await held.reached;
    // Half way through: the bar is up and Check now cannot start it over.
    expect(await card.getByTestId('update-progress').count()).toBe(1);
    expect(await card.getByRole('button', { name: 'Check now' }).isDisabled()).toBe(true);
    held.release();

    await state.filter({ hasText: `Version ${next} is downloaded and verified` }).waitFor();
    await card.getByText(/Last checked/).waitFor();
    await card.getByRole('button', { name: 'Restart to update' }).click();
    await card.getByRole('status').filter({ hasText: 'Restarting Huntaze to install the update' }).waitFor();
    expect(await hostCall(host.url, 'updates.status', {})).toMatchObject({ ok: true, value: { state: { kind: 'ready', version: next } } });
    expect(pkg.version).not.toBe(next);
    expect(pageErrors).toEqual([]);
  });

  it('says in the operator’s words (and language) when a download does not match its release, and installs nothing', async () => {
    feed = await startUpdateFeed();
    const bytes = randomBytes(256 * 1024);
    feed.publish('latest', { version: next, bytes, sha512: sha512Of(Buffer.from('another file')) });
    const { host, page, card, state } = await about({ HUNTAZE_TEST_UPDATE_FEED: feed.url });

    await card.getByRole('button', { name: 'Check now' }).click();
    await state.filter({ hasText: 'did not match its release signature' }).waitFor();
    expect(await card.getByRole('button', { name: 'Restart to update' }).count()).toBe(0);
    expect(await hostCall(host.url, 'updates.restart', {})).toMatchObject({ ok: false, error: { code: 'update_not_ready' } });

    await hostCall(host.url, 'settings.update', { language: 'fr' });
    await state.filter({ hasText: 'ne correspondait pas à la signature de sa version' }).waitFor();

    // The beta channel, chosen here, is asked at once and kept.
    await page.getByLabel('Canal de versions').selectOption('beta');
    await expect.poll(() => feed!.requests.includes('/beta-linux.yml')).toBe(true);
    expect(await hostCall(host.url, 'updates.status', {})).toMatchObject({ ok: true, value: { channel: 'beta' } });
    expect(pageErrors).toEqual([]);
  });
});
