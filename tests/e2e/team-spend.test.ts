import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys, teamTableDefinition } from '../../main/aws/keys';
import { useAppSession } from '../support/app-session';
import { useDynalite } from '../support/dynalite';
import { TEAM_HOST_ENV, TEST_KEYS, teamSeatDir } from '../support/team-aws';
import { useTempDirs } from '../support/tmp';
import { choose, findings } from '../support/appearance';

const SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

/** Alerts → Team budgets: what this seat holds of each team hard stop, in Chromium through the browser host. */
describe('team spend shares in Chromium (browser host, dynalite on loopback)', () => {
  const { open, start, pageErrors } = useAppSession();
  const tempDir = useTempDirs();
  const dynalite = useDynalite();

  it('shows the seat’s lease beside a team hard stop, and a stop not leased yet, axe clean in both themes and languages', async () => {
    const { endpoint } = await dynalite();
    const dynamo = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { ...TEST_KEYS } });
    try {
      await dynamo.send(new CreateTableCommand(teamTableDefinition('huntaze-cost-alerts')));
      const model = {
        thresholds: [
          { id: 'team-cap', scope: 'global', target: null, period: 'month', amountMicros: 100_000_000, levels: [80, 100], hardStop: 'refuse' },
          { id: 'spring', scope: 'campaign', target: 'spring-promo', period: 'month', amountMicros: 20_000_000, levels: [100], hardStop: 'downgrade' },
          { id: 'alerts-only', scope: 'global', target: null, period: 'day', amountMicros: 5_000_000, levels: [100], hardStop: 'none' },
        ],
      };
      await dynamo.send(new PutItemCommand({ TableName: 'huntaze-cost-alerts', Item: marshall({ ...keys.teamBudgets(), model: JSON.stringify(model), version: 1, updatedBy: 'other-seat-id', updatedAt: 1 }) }));
      // What this seat leased earlier this month, as spend-budget.ts keeps it in the live file.
      const month = new Date().toISOString().slice(0, 7);
      const leases = { leases: { [`${month}|team-cap`]: { grant: 12_500_000, total: 40_000_000, seats: 3 } }, seats: { 'team-cap': 3 } };
      const dataDir = teamSeatDir(tempDir(), endpoint, (db) => db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)').run('aws.spendLeases', JSON.stringify(leases)));
      const host = await start(dataDir, TEAM_HOST_ENV);
      const page = await open(host.url);
      await page.getByRole('navigation').getByRole('link', { name: 'Alerts', exact: true }).click();
      const held = page.getByTestId('team-spend-team-cap');
      await held.waitFor();
      expect(await held.getAttribute('data-mode')).toBe('shared');
      expect(await held.textContent()).toContain('This seat holds $12.50; the team has leased $40.00 of $100.00.');
      expect(await page.getByTestId('team-spend-spring').textContent()).toContain('Nothing leased yet this period');
      // A threshold that only alerts binds nobody: it is not listed.
      expect(await page.getByTestId('team-spend-alerts-only').count()).toBe(0);

      mkdirSync(SHOTS, { recursive: true });
      const found: string[] = [];
      for (const theme of ['light', 'dark']) {
        for (const language of ['en', 'fr']) {
          await choose(page, theme, language);
          await page.goto(new URL('/alerts', page.url()).href);
          await page.getByTestId('team-spend-team-cap').waitFor();
          for (const f of await findings(page)) found.push(`${theme}/${language} ${f}`);
          if (process.env.HUNTAZE_SCREENSHOTS === '1') await page.getByTestId('team-spend').screenshot({ path: join(SHOTS, `team-spend-${theme}-${language}.png`) });
        }
      }
      expect(found).toEqual([]);
      expect(await page.getByTestId('team-spend-team-cap').textContent()).toContain('Ce poste détient');
      await page.goBack();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/settings');
      expect(pageErrors).toEqual([]);
    } finally {
      dynamo.destroy();
    }
  });
});
