import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/db/open';
import { Ledger } from '../../main/ledger/ledger';
import { createOutbox } from '../../main/outbox';
import { DB_FILE } from '../../main/paths';
import { systemClock } from '../../main/ports/clock';
import { useAppSession } from '../support/app-session';
import { useAwsGate } from '../support/aws-gate';
import { useDynalite } from '../support/dynalite';
import { useFauxqs } from '../support/fauxqs';
import { hostCall } from '../support/host-call';
import { TEST_KEYS } from '../support/team-aws';
import { useTempDirs } from '../support/tmp';

// A pass loads the AWS SDK, talks to dynalite and is announced at most once a second: under a busy CI
// machine that outlasts expect.poll's 1 s default, so these waits get a bound of their own.
const SYNC_WAIT = { timeout: 20_000 };

const COSTS = [12_000, 34_500, 7_250];

describe('the team layer end to end (browser host, dynalite + fauxqs on loopback, Chromium)', () => {
  const { open, start, pageErrors } = useAppSession();
  const startDynalite = useDynalite();
  const startFauxqs = useFauxqs();
  const startGate = useAwsGate();
  const tempDir = useTempDirs();

  it('provisions from Settings, watches the backlog this seat built offline drain to zero, then shows it on Costs as the team', async () => {
    const dynamo = await startGate((await startDynalite()).endpoint, 'dynamodb');
    const sns = await startGate((await startFauxqs()).endpoint, 'sns');
    // Spend from before the team existed: it waits in the seat's outbox until the tables do.
    const dataDir = tempDir();
    const db = openDatabase(join(dataDir, DB_FILE));
    const ledger = new Ledger(db, systemClock, createOutbox({ db, clock: systemClock }), { timeZone: 'UTC' });
    for (const costMicros of COSTS) {
      await ledger.record({
        id: randomUUID(), requestId: randomUUID(), attempt: 1, ts: systemClock.now(), provider: 'openai', deployment: 'dep', baseModel: 'gpt-4.1', purpose: 'reply',
        campaignId: null, operatorId: null, usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5 }, costMicros, latencyMs: 3, status: 'ok', priceSource: 'table',
      });
    }
    db.close();

    const host = await start(dataDir);
    expect(await hostCall(host.url, 'settings.update', { timeZone: 'UTC' })).toMatchObject({ ok: true });
    expect(await hostCall(host.url, 'alerts.setSecret', { secret: 'aws', ...TEST_KEYS })).toMatchObject({ ok: true });
    const page = await open(host.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'Team (AWS)' }).click();
    const card = page.getByTestId('team-settings');
    await card.getByLabel('AWS region').fill('eu-west-1');
    await card.getByLabel('Name prefix').fill('agency');
    await card.getByLabel('DynamoDB endpoint (emulator only)').fill(dynamo.endpoint);
    await card.getByLabel('SNS endpoint (emulator only)').fill(sns.endpoint);
    await card.getByLabel("Share this seat's costs with the team").check();
    await card.getByRole('button', { name: 'Save', exact: true }).first().click();
    await card.getByRole('status').filter({ hasText: 'Team settings saved.' }).waitFor();

    // No tables yet: the rows wait, counted.
    const sync = page.getByTestId('sync-card');
    await expect.poll(() => sync.getByTestId('sync-backlog').textContent(), SYNC_WAIT).toMatch(/^3 /);

    await page.getByRole('button', { name: 'Show what would change' }).click();
    await page.getByTestId('team-plan').waitFor();
    await page.getByRole('button', { name: 'Provision', exact: true }).click();
    await expect.poll(() => page.getByTestId('team-plan').locator('li:not([data-action="none"])').count(), SYNC_WAIT).toBe(0);

    await sync.getByTestId('sync-now').click();
    await expect.poll(() => sync.getByTestId('sync-backlog').textContent(), SYNC_WAIT).toMatch(/^0 /);
    await expect.poll(() => sync.getByTestId('sync-state').getAttribute('data-state'), SYNC_WAIT).toBe('idle');

    await page.getByRole('navigation').getByRole('link', { name: 'Costs', exact: true }).click();
    await page.getByRole('button', { name: 'Team', exact: true }).click();
    await page.getByTestId('team-total').waitFor();
    expect(Number(await page.getByTestId('team-total').getAttribute('data-micros'))).toBe(COSTS.reduce((a, b) => a + b, 0));
    expect(await page.getByTestId('team-by-seat').textContent()).toContain('(this seat)');
    await page.goBack();
    await expect.poll(() => page.getByTestId('scope-seat').getAttribute('aria-pressed')).toBe('true');
    expect(pageErrors).toEqual([]);
  });
});
