import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys, teamTableDefinition } from '../../main/aws/keys';
import { TeamAwsStore } from '../../main/aws/settings';
import { openDatabase } from '../../main/db/open';
import { DB_FILE } from '../../main/paths';
import { manualClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { DEFAULT_TEAM_AWS_SETTINGS } from '../../shared/aws';
import { useAppSession } from '../support/app-session';
import { choose, findings } from '../support/appearance';
import { useDynalite } from '../support/dynalite';
import { useTempDirs } from '../support/tmp';

const KEYS = { accessKeyId: 'AKIAFAUXQSTESTKEY000', secretAccessKey: 'team-e2e-canary-51c0' };
const SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

/** The Alerts page's Team budgets section in Chromium, against a browser host whose seat reaches dynalite. */
describe('team budgets in Chromium (browser host, dynalite on loopback)', () => {
  const { open, start, pageErrors } = useAppSession();
  const tempDir = useTempDirs();
  const dynalite = useDynalite();

  it('saves a team budget, tells the operator when another seat saved first, and is axe clean in both themes and languages', async () => {
    const { endpoint } = await dynalite();
    const dynamo = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { ...KEYS } });
    try {
      await dynamo.send(
        new CreateTableCommand(teamTableDefinition('huntaze-cost-alerts')),
      );
      const dataDir = tempDir();
      const db = openDatabase(join(dataDir, DB_FILE));
      new TeamAwsStore(db, manualClock(), silentLogger).set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: 'eu-west-1', credentials: 'default', endpoint });
      db.close();
      // `default` credentials: the SDK's chain finds the seat's keys in the host's environment.
      const host = await start(dataDir, { AWS_ACCESS_KEY_ID: KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey });
      const page = await open(host.url);
      await page.getByRole('navigation').getByRole('link', { name: 'Alerts', exact: true }).click();
      const section = page.getByTestId('team-budgets-editor');
      await page.getByTestId('team-budgets-empty').waitFor();
      expect(await page.getByTestId('team-budgets-status').textContent()).toContain('Up to date with the team');

      await section.getByRole('button', { name: 'Add team budget' }).click();
      const row = page.getByTestId('team-budget-row-0');
      await row.getByLabel('Amount (USD)').fill('250');
      await section.getByRole('button', { name: 'Save team budgets' }).click();
      await section.getByRole('status').filter({ hasText: 'Team budgets saved' }).waitFor();
      await page.getByTestId('team-budgets-status').filter({ hasText: 'Last saved by seat' }).waitFor();

      // Another seat saves a version 2 while this page still holds version 1.
      const theirs = { thresholds: [{ id: 'other-seat', scope: 'global', target: null, period: 'month', amountMicros: 900_000_000, levels: [80, 100], hardStop: 'none' }] };
      await dynamo.send(new PutItemCommand({ TableName: 'huntaze-cost-alerts', Item: marshall({ ...keys.teamBudgets(), model: JSON.stringify(theirs), version: 2, updatedBy: 'other-seat-id', updatedAt: 1 }) }));
      await row.getByLabel('Amount (USD)').fill('300');
      await section.getByRole('button', { name: 'Save team budgets' }).click();
      await section.getByRole('alert').filter({ hasText: 'Another seat saved the team budgets while you were editing them' }).waitFor();
      // Their version replaces the rows: a monthly $900 budget.
      await expect.poll(() => row.getByLabel('Amount (USD)').inputValue()).toBe('900');

      mkdirSync(SHOTS, { recursive: true });
      const found: string[] = [];
      for (const theme of ['light', 'dark']) {
        for (const language of ['en', 'fr']) {
          await choose(page, theme, language);
          await page.goto(new URL('/alerts', page.url()).href);
          await page.getByTestId('team-budget-row-0').waitFor();
          for (const f of await findings(page)) found.push(`${theme}/${language} ${f}`);
          if (process.env.HUNTAZE_SCREENSHOTS === '1') await page.getByTestId('team-budgets').screenshot({ path: join(SHOTS, `team-budgets-${theme}-${language}.png`) });
        }
      }
      expect(found).toEqual([]);
      expect(await page.getByTestId('team-budgets-status').textContent()).toContain('À jour avec l’équipe');
      // Back returns to the page before.
      await page.goBack();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/settings');
      expect(pageErrors).toEqual([]);
    } finally {
      dynamo.destroy();
    }
  });
});
