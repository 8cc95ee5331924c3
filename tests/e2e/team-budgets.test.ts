import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys, teamTableDefinition } from '../../main/aws/keys';
import { useAppSession } from '../support/app-session';
import { choose, findings } from '../support/appearance';
import { useDynalite } from '../support/dynalite';
import { TEAM_HOST_ENV, TEST_KEYS, teamSeatDir } from '../support/team-aws';
import { useTempDirs } from '../support/tmp';

const SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

/** The Alerts page's Team budgets section in Chromium, against a browser host whose seat reaches dynalite. */
describe('team budgets in Chromium (browser host, dynalite on loopback)', () => {
  const { open, start, pageErrors } = useAppSession();
  const tempDir = useTempDirs();
  const dynalite = useDynalite();

  it('saves a team budget, tells the operator when another seat saved first, and is axe clean in both themes and languages', async () => {
    const { endpoint } = await dynalite();
    const dynamo = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { ...TEST_KEYS } });
    try {
      await dynamo.send(
        new CreateTableCommand(teamTableDefinition('huntaze-cost-alerts')),
      );
      const dataDir = teamSeatDir(tempDir(), endpoint);
      // `default` credentials: the SDK's chain finds the seat's keys in the host's environment.
      const host = await start(dataDir, TEAM_HOST_ENV);
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
