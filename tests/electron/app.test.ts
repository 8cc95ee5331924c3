import { spawn } from 'node:child_process';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/tmp';
import { appPath, CONTAINER_FLAGS, electronBinary, heading, launchApp, MAIN_ENTRY } from './launch';

type Bridge = { invoke(method: string, input: unknown): Promise<{ ok: boolean; value?: { id?: string; items?: unknown[] } }> };

describe('the built app in the real Electron binary (npm run test:electron)', () => {
  const tempDir = useTempDirs();
  const apps: ElectronApplication[] = [];
  // Fails the file once, with the way out, when there is no binary or no build.
  beforeAll(() => void electronBinary());
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function start(dataDir = tempDir(), args: string[] = []): Promise<{ app: ElectronApplication; page: Page }> {
    const app = await launchApp(dataDir, args);
    apps.push(app);
    const page = await app.firstWindow();
    return { app, page };
  }

  const invoke = (page: Page, method: string, input: unknown) =>
    page.evaluate(([m, i]) => (globalThis as unknown as { huntaze: Bridge }).huntaze.invoke(m as string, i), [method, input] as const);

  it('opens Home on app://, and contract calls go through the preload bridge', async () => {
    const { page } = await start();
    await expect.poll(() => heading(page).textContent()).toBe('Home');
    expect(new URL(page.url()).protocol).toBe('app:');
    const listed = await invoke(page, 'campaigns.list', {});
    expect(listed.ok).toBe(true);
    const bad = await invoke(page, 'campaigns.create', { name: '' });
    expect(bad.ok).toBe(false);
  });

  it('keeps Node out of the page and refuses window.open and navigation away from the app', async () => {
    const { app, page } = await start();
    await heading(page).waitFor();
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
    expect(await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('https://example.com') === null)).toBe(true);
    const before = page.url();
    await page.evaluate(() => void ((globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'));
    // Main refuses the navigation (will-navigate): the page stays on the app and keeps answering.
    await expect.poll(() => heading(page).textContent()).toBe('Home');
    expect(page.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
  });

  it('opens the campaign a deep link names, at start and from a second instance, in a single window', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    await heading(first.page).waitFor();
    const created = await invoke(first.page, 'campaigns.create', { name: 'Deep link', template: 'Hi {name|babe}', personalization: 'template' });
    expect(created.ok).toBe(true);
    const id = created.value?.id as string;
    await first.app.close();
    apps.splice(apps.indexOf(first.app), 1);

    const linked = await start(dataDir, [`huntaze://campaign/${id}`]);
    await expect.poll(() => appPath(linked.page)).toBe(`/campaigns/${id}`);
    await linked.page.goto('app://huntaze/index.html');
    await expect.poll(() => appPath(linked.page)).toBe('/');

    // A second launch hands its link to this instance and quits: the first window navigates, no new one opens.
    // Spawned as the OS would, not through Playwright: it quits before any debugger could attach.
    const second = spawn(electronBinary(), [MAIN_ENTRY, ...CONTAINER_FLAGS, `huntaze://campaign/${id}`], { env: { ...process.env, HUNTAZE_DATA_DIR: dataDir }, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(0);
    await expect.poll(() => appPath(linked.page)).toBe(`/campaigns/${id}`);
    expect(linked.app.windows()).toHaveLength(1);
  });
});
