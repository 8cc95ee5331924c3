import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { TeamAwsStore } from '../../main/aws/settings';
import { manualClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { addDays } from '../../shared/forecast';
import { DEFAULT_TEAM_AWS_SETTINGS, teamResourceNames } from '../../shared/aws';
import { useAppSession } from '../support/app-session';
import { useDynalite } from '../support/dynalite';
import { TEAM_HOST_ENV, TEST_KEYS, teamSeatDir } from '../support/team-aws';
import { hostCall } from '../support/host-call';
import { createCostsTable, dayAggregate, putItems, seatItem } from '../support/team-items';
import { useTempDirs } from '../support/tmp';
import { findings } from '../support/appearance';

const T0 = 1_795_000_000_000;
const counts = { inputTokens: 100, cachedInputTokens: 0, outputTokens: 50 };

describe('the Costs page’s team view in Chromium (browser host, dynalite on loopback)', () => {
  const { open, start, pageErrors } = useAppSession();
  const startDynalite = useDynalite();
  const tempDir = useTempDirs();

  /** A seat with the team layer on against dynalite (the settings row written before the host starts), and two seats' spend. */
  async function teamSeat() {
    const dynalite = await startDynalite();
    let me = '';
    const dataDir = teamSeatDir(tempDir(), dynalite.endpoint, (db) => (me = new TeamAwsStore(db, manualClock(), silentLogger).seatId()));
    const host = await start(dataDir, TEAM_HOST_ENV);
    const stats = await hostCall(host.url, 'costs.stats', {});
    if (!stats.ok) throw new Error(stats.error.code);
    const today = stats.value.today.from;

    const dynamo = new DynamoDBClient({ region: 'eu-west-1', endpoint: dynalite.endpoint, credentials: { ...TEST_KEYS } });
    try {
      const table = teamResourceNames(DEFAULT_TEAM_AWS_SETTINGS.prefix).costsTable;
      await createCostsTable(dynamo, table);
      const item = (seat: string, operator: string, day: string, model: string, costMicros: number) =>
        dayAggregate({ day, seat, operator, provider: 'openai', model, campaign: '-', requests: 4, costMicros, updatedAt: T0, ...counts });
      await putItems(dynamo, table, [
        item(me, 'Alice', today, 'gpt-4o', 1_250_000),
        item(me, 'Alice', addDays(today, -1), 'gpt-4o-mini', 250_001),
        item('seat-b', 'Bob', today, 'gpt-4o', 3_000_000),
        seatItem(me, 'Alice', T0),
        seatItem('seat-b', 'Bob', T0),
      ]);
    } finally {
      dynamo.destroy();
    }
    return { host, dynalite, total: 1_250_000 + 250_001 + 3_000_000, mine: 1_250_000 + 250_001 };
  }

  it('switches Costs to the team, reads the totals and the seat breakdown, Back returns to this seat, a reload keeps the team', async () => {
    const { host, total, mine } = await teamSeat();
    const page = await open(host.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Costs', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Costs' }).waitFor();
    expect(await page.getByTestId('scope-seat').getAttribute('aria-pressed')).toBe('true');

    await page.getByRole('button', { name: 'Team', exact: true }).click();
    await page.getByTestId('team-total').waitFor();
    expect(new URL(page.url()).searchParams.get('scope')).toBe('team');
    expect(await page.getByTestId('team-costs').textContent()).toContain('Team-wide costs — every seat');
    expect(Number(await page.getByTestId('team-total').getAttribute('data-micros'))).toBe(total);
    const seats = page.getByTestId('team-by-seat-row');
    expect(await seats.count()).toBe(2);
    expect(await seats.nth(0).textContent()).toContain('Bob');
    expect(Number(await seats.nth(0).getAttribute('data-micros'))).toBe(3_000_000);
    expect(await seats.nth(1).textContent()).toContain('Alice (this seat)');
    expect(Number(await seats.nth(1).getAttribute('data-micros'))).toBe(mine);
    await page.getByTestId('team-as-of').waitFor();

    await page.goBack();
    await expect.poll(() => page.getByTestId('scope-seat').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('team-costs').count()).toBe(0);

    await page.goForward();
    await page.getByTestId('team-total').waitFor();
    await page.reload();
    await page.getByTestId('team-total').waitFor();
    expect(await page.getByTestId('scope-team').getAttribute('aria-pressed')).toBe('true');
    expect(pageErrors).toEqual([]);
  });

  it('is axe clean in both themes and languages, with screenshots', async () => {
    const { host } = await teamSeat();
    const page = await open(host.url);
    await page.setViewportSize({ width: 1280, height: 1100 });
    const found: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      for (const language of ['en', 'fr'] as const) {
        const set = await hostCall(host.url, 'settings.update', { theme, language });
        if (!set.ok) throw new Error(set.error.code);
        await page.goto(new URL('/costs?scope=team', page.url()).href);
        await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
        await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
        await page.getByTestId('team-chart').locator('canvas').waitFor();
        expect(await page.getByTestId('team-by-seat').textContent()).toContain(language === 'en' ? '(this seat)' : '(ce poste)');
        for (const f of await findings(page)) found.push(`${theme} ${language} ${f}`);
        if (process.env.HUNTAZE_SCREENSHOTS === '1') await page.screenshot({ path: `docs/screenshots/costs-team-${theme}-${language}.png`, fullPage: true });
      }
    }
    expect(found).toEqual([]);
  });

  it('explains how to enable the team layer when it is off, instead of failing', async () => {
    const host = await start();
    const page = await open(new URL('/costs?scope=team', host.url).href.replace(/#.*/, '') + new URL(host.url).hash);
    const setup = page.getByTestId('team-setup');
    await setup.waitFor();
    expect(await setup.textContent()).toContain('Team view needs the team layer: Settings → Team (AWS).');
    await page.getByRole('button', { name: 'This seat', exact: true }).click();
    await page.getByTestId('costs-empty').waitFor();
  });

  it('shows this seat with a notice when AWS is unreachable, and no team view in Sandbox mode', async () => {
    const { host, dynalite } = await teamSeat();
    await dynalite.stop();
    const page = await open(new URL('/costs?scope=team', host.url).href + new URL(host.url).hash);
    const error = page.getByTestId('team-error');
    await error.waitFor();
    expect(await error.textContent()).toContain("Can't reach the team's AWS account");
    await page.getByTestId('costs-empty').waitFor();

    const on = await hostCall(host.url, 'settings.update', { sandboxMode: true });
    if (!on.ok) throw new Error(on.error.code);
    await page.getByTestId('team-sandbox-note').waitFor();
    expect(await page.getByTestId('scope-team').isDisabled()).toBe(true);
    expect(await page.getByTestId('team-costs').count()).toBe(0);
  });
});
