import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { useTempDirs } from './tmp';
import { type HostProcess, startHostProcess } from './web-process';

export interface AppSession {
  /** Opens a page, recording its console errors and uncaught exceptions in `pageErrors`. */
  open(url: string): Promise<Page>;
  /** Starts a browser host on the data folder (a fresh one when omitted); stopped after the test. */
  start(dataDir?: string, env?: NodeJS.ProcessEnv): Promise<HostProcess>;
  pageErrors: string[];
}

/**
 * One Chromium per test file; hosts and pages per test, all closed after it. Each host gets its
 * own data folder, so its own keychain service: no test touches real keys.
 */
export function useAppSession(): AppSession {
  const tempDir = useTempDirs();
  let browser: Browser;
  const hosts: HostProcess[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    pageErrors.length = 0;
    for (const context of browser.contexts()) await context.close();
    for (const host of hosts.splice(0)) await host.stop('SIGKILL');
  });

  return {
    pageErrors,
    async open(url) {
      // A context of its own, not browser.newPage(): axe-core needs to open frames in the page's context.
      const page = await (await browser.newContext()).newPage();
      page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(msg.text()));
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await page.goto(url);
      return page;
    },
    async start(dataDir = tempDir(), env = {}) {
      const host = await startHostProcess(dataDir, [], env);
      hosts.push(host);
      return host;
    },
  };
}
