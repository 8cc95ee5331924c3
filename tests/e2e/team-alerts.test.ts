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

const message = (id: string, percent: number, firedAt: number) => ({
  id, level: percent >= 100 ? 'critical' : 'warning', kind: 'threshold', threshold: { scope: 'global', target: null, label: null, percent },
  period: { unit: 'month', key: '2026-11', label: 'November 2026' }, amountMicros: 90_000_000, budgetMicros: 100_000_000, firedAt, path: `/alerts/${id}`,
});

/** The Alerts page's Team alerts list in Chromium, against a browser host whose seat reaches dynalite. */
describe('team alerts in Chromium (browser host, dynalite on loopback)', () => {
  const { open, start, pageErrors } = useAppSession();
  const tempDir = useTempDirs();
  const dynalite = useDynalite();

  it('lists the month’s alerts of other seats with their operator, axe clean in both themes and languages', async () => {
    const { endpoint } = await dynalite();
    const dynamo = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { ...TEST_KEYS } });
    try {
      await dynamo.send(new CreateTableCommand(teamTableDefinition('huntaze-cost-alerts')));
      await dynamo.send(new CreateTableCommand(teamTableDefinition('huntaze-ai-costs')));
      const now = Date.now();
      // The host's month is that of its own clock in the agency's zone: a day either side covers any zone.
      const months = new Set([now - 86_400_000, now, now + 86_400_000].map((t) => new Date(t).toISOString().slice(0, 7)));
      for (const month of months) {
        await dynamo.send(new PutItemCommand({ TableName: 'huntaze-cost-alerts', Item: marshall({ ...keys.seatAlert(month, 'seat-leo', 'g-month.2026-11.80'), kind: 'seat', alertId: 'g-month.2026-11.80', seat: 'seat-leo', operator: 'Leo', firedAt: now - 60_000, acknowledgedAt: null, message: message('g-month.2026-11.80', 80, now - 60_000) }, { removeUndefinedValues: true }) }));
        const team = message('team-t1.2026-11.100', 100, now - 30_000);
        await dynamo.send(new PutItemCommand({ TableName: 'huntaze-cost-alerts', Item: marshall({ ...keys.alert(month, team.id), firedBy: 'seat-ana', enqueued: true, message: JSON.stringify(team), firedAt: team.firedAt }) }));
      }
      await dynamo.send(new PutItemCommand({ TableName: 'huntaze-ai-costs', Item: marshall({ ...keys.seat('seat-ana'), operator: 'Ana', lastSeenAt: now }) }));
      const dataDir = teamSeatDir(tempDir(), endpoint);
      const host = await start(dataDir, TEAM_HOST_ENV);
      const page = await open(host.url);
      await page.getByRole('navigation').getByRole('link', { name: 'Alerts', exact: true }).click();
      const list = page.getByTestId('team-alerts');
      await list.getByTestId('team-alert-team-t1.2026-11.100').waitFor();
      expect(await list.getByTestId('team-alert-team-t1.2026-11.100').textContent()).toContain('Ana');
      expect(await list.getByTestId('team-alert-team-t1.2026-11.100').textContent()).toContain('Team budget');
      expect(await list.getByTestId('team-alert-g-month.2026-11.80').textContent()).toContain('Leo');

      mkdirSync(SHOTS, { recursive: true });
      const found: string[] = [];
      for (const theme of ['light', 'dark']) {
        for (const language of ['en', 'fr']) {
          await choose(page, theme, language);
          await page.goto(new URL('/alerts', page.url()).href);
          await page.getByTestId('team-alert-g-month.2026-11.80').waitFor();
          for (const f of await findings(page)) found.push(`${theme}/${language} ${f}`);
          if (process.env.HUNTAZE_SCREENSHOTS === '1') await list.screenshot({ path: join(SHOTS, `team-alerts-${theme}-${language}.png`) });
        }
      }
      expect(found).toEqual([]);
      expect(await list.getByRole('heading').textContent()).toBe("Alertes de l'équipe ce mois-ci");
      await page.goBack();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/settings');
      expect(pageErrors).toEqual([]);
    } finally {
      dynamo.destroy();
    }
  });
});
