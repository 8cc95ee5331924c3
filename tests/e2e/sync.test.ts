import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { TeamAwsStore } from '../../main/aws/settings';
import { openDatabase } from '../../main/db/open';
import { Ledger } from '../../main/ledger/ledger';
import { createOutbox } from '../../main/outbox';
import { systemClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { DB_FILE } from '../../main/paths';
import { DEFAULT_TEAM_AWS_SETTINGS } from '../../shared/aws';
import { useAppSession } from '../support/app-session';
import { choose } from '../support/appearance';
import { useDynalite } from '../support/dynalite';
import { hostCall } from '../support/host-call';
import { createCostsTable, ledgerRows, scanAll } from '../support/sync';
import { useTempDirs } from '../support/tmp';

// A pass loads the AWS SDK, talks to dynalite and is announced at most once a second: under a busy CI
// machine that outlasts expect.poll's 1 s default, so these waits get a bound of their own.
const SYNC_WAIT = { timeout: 20_000 };

const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

describe('the Sync card on Costs (browser host, dynalite on loopback, Chromium)', () => {
  const { open, start, pageErrors } = useAppSession();
  const startDynalite = useDynalite();
  const tempDir = useTempDirs();

  it('shows the ledger synced to the team, Sync now, in both themes and languages, axe clean', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint);
    const dataDir = tempDir();
    // The seat's file before the host opens it: the team layer on, three cost rows waiting.
    const db = openDatabase(join(dataDir, DB_FILE));
    new TeamAwsStore(db, systemClock, silentLogger).set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: 'eu-west-1', endpoint });
    const ledger = new Ledger(db, systemClock, createOutbox({ db, clock: systemClock }), { timeZone: 'UTC' });
    for (const costMicros of [12_000, 34_500, 7_250]) {
      await ledger.record({
        id: randomUUID(), requestId: randomUUID(), attempt: 1, ts: systemClock.now(), provider: 'openai', deployment: 'dep', baseModel: 'gpt-4.1', purpose: 'reply',
        campaignId: null, operatorId: null, usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5 }, costMicros, latencyMs: 3, status: 'ok', priceSource: 'table',
      });
    }
    db.close();

    const host = await start(dataDir);
    expect(await hostCall(host.url, 'alerts.setSecret', { secret: 'aws', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' })).toMatchObject({ ok: true });
    const page = await open(host.url);
    await page.getByRole('navigation').waitFor();
    for (const [theme, language] of [['light', 'en'], ['dark', 'fr'], ['dark', 'en'], ['light', 'fr']] as const) {
      await choose(page, theme, language);
      await page.goto(new URL('/costs', page.url()).href);
      const card = page.getByTestId('sync-card');
      await card.waitFor();
      await card.getByTestId('sync-now').click();
      await expect.poll(() => card.getByTestId('sync-backlog').textContent(), SYNC_WAIT).toMatch(/^0 /);
      await expect.poll(() => card.getByTestId('sync-state').getAttribute('data-state'), SYNC_WAIT).toBe('idle');
      expect(await card.getByTestId('sync-last').textContent()).not.toMatch(/Never|Jamais/);
      const result = await new AxeBuilder({ page }).include('[data-testid="sync-card"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
      if (process.env.HUNTAZE_SCREENSHOTS === '1') await card.screenshot({ path: join(SCREENSHOTS, `sync-card-${theme}-${language}.png`) });
      await page.goBack();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/settings');
    }
    const rows = ledgerRows(await scanAll(endpoint));
    expect(rows).toHaveLength(3);
    expect(pageErrors).toEqual([]);
  });
});
