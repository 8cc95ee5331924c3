/**
 * The per-recipient table in Chromium: a 50,000-recipient campaign (Sandbox profile, template
 * mode, fans imported from a CSV through the browser host's contract) scrolled end to end in
 * steps, the main thread's cost of each frame measured.
 *
 * Why rAF intervals with vsync off: headless Chromium with --disable-gpu paces frames to a
 * 60 Hz timer, so a plain requestAnimationFrame interval reads ~16.7 ms whatever the page does
 * (it measures the display). With --disable-gpu-vsync and --disable-frame-rate-limit the next
 * frame starts as soon as the last one is done, so the interval between two rAF callbacks is the
 * work of one frame: the scroll event, the virtualizer, React's commit, style, layout and paint.
 * Every frame scrolls one step, so every interval carries a scroll's full cost. CDP tracing
 * would split the same time into phases; the total is what decides smoothness.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from '../../tests/support/browser';
import { campaignFixture, generated } from '../../tests/support/campaign-page';
import { startHostProcess, WEB_ENTRY } from '../../tests/support/web-process';
import { round, type Suite } from '../harness';

const RECIPIENTS = 50_000;
/** Pixels per frame: about a third of the table's height, a brisk wheel or a dragged scrollbar. */
const STEP_PX = 160;

/**
 * Runs in the page (a string: this project compiles the bench without the DOM library): scrolls
 * the table from top to bottom, one step per frame, and returns each frame's duration.
 */
const scrollFrames = (step: number) => `new Promise((resolve) => {
  const el = document.querySelector('[data-testid="recipients-table"]');
  const frames = [];
  const arrivals = [];
  let placeholders = 0;
  let last = 0;
  let waiting = false;
  const tick = (now) => {
    const empty = el.querySelector('.rt-placeholder') !== null;
    if (last > 0) {
      frames.push(now - last);
      // Rows filled in since the last frame: this frame also rendered a page that arrived.
      arrivals.push(waiting && !empty);
    }
    last = now;
    waiting = empty;
    if (empty) placeholders++;
    if (el.scrollTop + el.clientHeight >= el.scrollHeight) return resolve({ frames, arrivals, placeholders });
    el.scrollTop += ${step};
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function tableFrameBench(report: Parameters<Suite['run']>[0]): Promise<void> {
  if (!existsSync(WEB_ENTRY)) throw new Error('campaign table bench: run `npm run build` first (it drives the built browser host)');
  const dir = mkdtempSync(join(tmpdir(), 'huntaze-bench-table-'));
  const host = await startHostProcess(join(dir, 'data'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-gpu-vsync', '--disable-frame-rate-limit', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const seeded = performance.now();
    const { campaign } = await campaignFixture(host.url, dir, RECIPIENTS, { perMinute: 60, minSpacingSeconds: 1, burst: 10 }, 'Bench: everyone');
    await generated(host.url, campaign.id, RECIPIENTS, 600_000);
    process.stdout.write(`# seeded ${RECIPIENTS} recipients through the host in ${round((performance.now() - seeded) / 1000, 1)} s\n`);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(host.url);
    await page.getByRole('navigation').waitFor();
    await page.goto(new URL(`/campaigns/${campaign.id}`, page.url()).href);
    await page.locator(`[data-testid="recipients-table"][data-total="${RECIPIENTS}"]`).waitFor();
    await page.getByTestId('recipient-row').first().waitFor();
    // Warm-up pass (JIT, first layouts), then back to the top for the measured one.
    await page.evaluate(scrollFrames(STEP_PX * 8));
    await page.evaluate('document.querySelector(\'[data-testid="recipients-table"]\').scrollTop = 0');
    await page.locator('[data-testid="recipient-row"][data-index="0"]').waitFor();
    const { frames, arrivals, placeholders } = (await page.evaluate(scrollFrames(STEP_PX))) as { frames: number[]; arrivals: boolean[]; placeholders: number };
    const lastRow = await page.locator(`[data-testid="recipient-row"][data-index="${RECIPIENTS - 1}"]`).count();
    if (lastRow !== 1) throw new Error('campaign table bench: the last row was not reached');

    const sorted = [...frames].sort((a, b) => a - b);
    process.stdout.write(`# ${frames.length} frames scrolling ${STEP_PX} px each; ${placeholders} showed placeholder rows while pages loaded\n`);
    const steady = frames.filter((_, i) => !arrivals[i]).sort((a, b) => a - b);
    process.stdout.write(`# p99 ${round(percentile(steady, 99), 2)} ms over the ${steady.length} frames where no page of rows had just arrived\n`);
    report({ name: 'campaigns.table_frame_p99_ms', value: round(percentile(sorted, 99), 2), unit: 'ms', target: '<= 16' });
    report({ name: 'campaigns.table_frame_p50_ms', value: round(percentile(sorted, 50), 2), unit: 'ms' });
    report({ name: 'campaigns.table_frame_max_ms', value: round(sorted.at(-1)!, 2), unit: 'ms' });
  } finally {
    await browser.close();
    await host.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
