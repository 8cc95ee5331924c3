import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionPolicy } from '../../main/app/session-policy';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../shared/csp';
import { launchChromium } from '../support/browser';
import { useTempDirs } from '../support/tmp';
import { type HostProcess, ROOT, startHostProcess } from '../support/web-process';

/** Runs in the page before its own scripts (a string: this project's Node typings have no DOM). */
const RECORD_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
`;

/** A page that records every CSP violation and console error from its first script on. */
async function watchedPage(browser: Browser) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  page.on('pageerror', (err) => errors.push(err.message));
  await page.addInitScript({ content: RECORD_VIOLATIONS });
  return { page, errors, violations: () => page.evaluate<string[]>('window.cspViolations') };
}

const metaPolicy = (page: Page) => page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');

/** `npm run dev` without the Electron binary: the renderer's dev server, and the URL handed to the shell. */
async function startDevServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'dev', '--rendererOnly'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ELECTRON_EXEC_PATH: process.execPath,
      ELECTRON_ENTRY: join(ROOT, 'tests/support/electron-stand-in.mjs'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stderr!.on('data', (d) => (out += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      const match = /ELECTRON_RENDERER_URL=(\S+)\n/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`electron-vite dev exited with ${code}: ${out}`)));
  });
  return { child, url };
}

describe('one Content-Security-Policy in Chromium', () => {
  const tempDir = useTempDirs();
  let browser: Browser;
  const hosts: HostProcess[] = [];
  const devServers: ChildProcess[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const context of browser.contexts()) await context.close();
    for (const host of hosts.splice(0)) await host.stop('SIGKILL');
    for (const child of devServers.splice(0)) {
      if (child.exitCode !== null) continue;
      const exited = once(child, 'exit');
      // The dev server and the stand-in shell share the group this test started.
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });

  it('the built app under start:web carries the policy in header and meta, and loads without a violation', async () => {
    const host = await startHostProcess(tempDir());
    hosts.push(host);
    const { page, errors, violations } = await watchedPage(browser);
    const response = await page.goto(host.url);
    expect(await response!.headerValue('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await metaPolicy(page)).toBe(CONTENT_SECURITY_POLICY);
    // Home's first-run offer needs the core's answer: the page is up and connected.
    await page.getByTestId('home-first-run').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Playground' }).click();
    await page.getByRole('heading', { name: 'Playground' }).waitFor();
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('npm run dev serves the dev widening of the same policy: React mounts, React Refresh and HMR run, nothing is blocked', async () => {
    const dev = await startDevServer();
    devServers.push(dev.child);
    const { page, errors, violations } = await watchedPage(browser);
    const hmrConnected = page.waitForEvent('console', (msg) => msg.text() === '[vite] connected.');
    await page.goto(dev.url);

    // The shell sends this header while a dev server serves the page; both must be the same policy.
    const expected = contentSecurityPolicy({ dev: true, devServer: dev.url });
    expect(sessionPolicy(dev.url)).toBe(expected);
    expect(await metaPolicy(page)).toBe(expected);
    // A blocked preamble shows here at once; later the page would just never mount.
    expect(await violations()).toEqual([]);

    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    await hmrConnected;
    // The inline preamble ran: without it @vitejs/plugin-react's wrapped modules throw before React mounts.
    expect(await page.evaluate('typeof window.$RefreshSig$')).toBe('function');
    expect(await violations()).toEqual([]);
    // No preload and no browser host behind this server: only the app's own socket may fail to connect.
    expect(errors.filter((e) => !/WebSocket connection to 'ws:\/\/[^']+\/ws\?token=/.test(e))).toEqual([]);
  });
});
