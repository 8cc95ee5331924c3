import { describe, expect, it } from 'vitest';
import { SECRET_NAMES } from '../../../main/alerts/channels';
import { TeamAws, type TeamConnection } from '../../../main/aws/clients';
import { keys } from '../../../main/aws/keys';
import { TeamAwsStore } from '../../../main/aws/settings';
import { type TeamCostsDeps, teamCosts } from '../../../main/aws/team-costs';
import { manualClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { DEFAULT_TEAM_AWS_SETTINGS } from '../../../shared/aws';
import { useDynalite } from '../../support/dynalite';
import { silentKeychain, useSecretStores } from '../../support/secrets';
import { createCostsTable, dayAggregate, putItems, seatItem } from '../../support/team-items';

const T0 = 1_795_000_000_000;
const counts = { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5 };

describe('team.costs: the whole team’s spend from every seat’s aggregates (dynalite, the real SDK)', () => {
  const stores = useSecretStores();
  const startDynalite = useDynalite();

  async function setup(options: { createTable?: boolean } = {}) {
    const { store: secrets, db } = await stores.open(stores.tempDir(), { keychain: silentKeychain() });
    const settings = new TeamAwsStore(db, manualClock(), silentLogger);
    const aws = new TeamAws(settings, secrets);
    const dynalite = await startDynalite();
    settings.set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: 'eu-west-1', endpoint: dynalite.endpoint });
    await secrets.set(SECRET_NAMES.accessKeyId, 'AKIAIOSFODNN7EXAMPLE');
    await secrets.set(SECRET_NAMES.secretAccessKey, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    const conn = (await aws.connect()) as TeamConnection;
    if (options.createTable !== false) await createCostsTable(conn.dynamo, conn.names.costsTable);
    let sandbox = false;
    const deps = (pageLimit?: number): TeamCostsDeps => ({
      teamAws: aws,
      sandboxMode: () => sandbox,
      zone: () => 'Europe/Paris',
      campaignNames: (ids) => new Map(ids.filter((id) => id === 'camp-1').map((id) => [id, 'Black Friday'])),
      options: { pageLimit, concurrency: 2 },
    });
    return { aws, settings, conn, dynalite, deps, setSandbox: (on: boolean) => (sandbox = on) };
  }

  it('sums two seats to the micro-dollar, by seat, provider, model and campaign, following every page', async () => {
    const { aws, conn, deps } = await setup();
    try {
      const me = conn.seatId;
      const a = (day: string, provider: string, model: string, campaign: string, costMicros: number, updatedAt: number) =>
        dayAggregate({ day, seat: me, operator: 'Alice (stale)', provider, model, campaign, requests: 2, costMicros, updatedAt, ...counts });
      const b = (day: string, provider: string, model: string, campaign: string, costMicros: number, updatedAt: number) =>
        dayAggregate({ day, seat: 'seat-b', operator: 'Bob', provider, model, campaign, requests: 3, costMicros, updatedAt, ...counts });
      await putItems(conn.dynamo, conn.names.costsTable, [
        a('2026-11-01', 'openai', 'gpt-4o', 'camp-1', 1_234_567, T0 + 50),
        a('2026-11-01', 'openai', 'gpt-4o-mini', '-', 1, T0 + 60),
        a('2026-11-02', 'anthropic', 'claude-sonnet', 'camp-1', 2_000_003, T0 + 70),
        b('2026-11-01', 'openai', 'gpt-4o', 'camp-1', 500_000, T0 + 10),
        b('2026-11-01', 'openai', 'gpt-4o', 'camp-x', 7, T0 + 20),
        b('2026-11-02', 'openai', 'gpt-4o-mini', '-', 999_999, T0 + 30),
        // A third seat, but on a day outside the range: it must not count.
        dayAggregate({ day: '2026-11-05', seat: 'seat-c', operator: 'Chloé', provider: 'openai', model: 'gpt-4o', campaign: '-', requests: 1, costMicros: 10_000_000, updatedAt: T0, ...counts }),
        // A writer's bug: negative money under a day pk. Skipped and counted, never summed.
        { ...keys.aggregate('day', '2026-11-02', 'seat-b', 'openai', 'broken', null), seat: 'seat-b', operator: 'Bob', unit: 'day', bucket: '2026-11-02', costMicros: -5 },
        seatItem(me, 'Alice', T0 + 100),
        seatItem('seat-b', 'Bob', T0 + 100),
        seatItem('seat-c', 'Chloé', T0 + 100),
      ]);

      // Limit 1: every day and the SEAT pk take several pages; a reader that stops at the first page loses items.
      const paged = await teamCosts(deps(1), { from: '2026-11-01', to: '2026-11-03' });
      expect(paged).toEqual(await teamCosts(deps(), { from: '2026-11-01', to: '2026-11-03' }));

      const all = 1_234_567 + 1 + 2_000_003 + 500_000 + 7 + 999_999;
      expect(paged.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
      expect(paged.totals).toEqual([1_234_567 + 1 + 500_000 + 7, 2_000_003 + 999_999, 0]);
      expect(paged.total).toEqual({ micros: all, requests: 3 * 2 + 3 * 3, inputTokens: 60, cachedInputTokens: 0, outputTokens: 30 });
      expect(paged.skipped).toBe(1);
      expect(paged.zone).toBe('Europe/Paris');
      expect(paged.bySeat.map(({ seat, operator, thisSeat, micros, updatedAt }) => ({ seat, operator, thisSeat, micros, updatedAt }))).toEqual([
        { seat: me, operator: 'Alice', thisSeat: true, micros: 1_234_567 + 1 + 2_000_003, updatedAt: T0 + 70 },
        { seat: 'seat-b', operator: 'Bob', thisSeat: false, micros: 500_000 + 7 + 999_999, updatedAt: T0 + 30 },
      ]);
      // The stalest seat's latest push bounds how fresh the team figure is.
      expect(paged.asOf).toBe(T0 + 30);
      expect(paged.byProvider.map((p) => [p.provider, p.micros])).toEqual([
        ['openai', 1_234_567 + 1 + 500_000 + 7 + 999_999],
        ['anthropic', 2_000_003],
      ]);
      expect(paged.byModel.map((m) => [m.provider, m.model, m.micros])).toEqual([
        ['anthropic', 'claude-sonnet', 2_000_003],
        ['openai', 'gpt-4o', 1_234_567 + 500_000 + 7],
        ['openai', 'gpt-4o-mini', 1 + 999_999],
      ]);
      expect(paged.byCampaign.map((c) => [c.campaign, c.name, c.micros])).toEqual([
        ['camp-1', 'Black Friday', 1_234_567 + 2_000_003 + 500_000],
        [null, null, 1 + 999_999],
        ['camp-x', null, 7],
      ]);
      expect(paged.series).toEqual([
        { provider: 'anthropic', micros: [0, 2_000_003, 0] },
        { provider: 'openai', micros: [1_234_567 + 1 + 500_000 + 7, 999_999, 0] },
      ]);
    } finally {
      aws.close();
    }
  });

  it('answers typed errors when off, in Sandbox mode, without a table, and when DynamoDB is unreachable', async () => {
    const { aws, settings, dynalite, deps, setSandbox } = await setup({ createTable: false });
    const range = { from: '2026-11-01', to: '2026-11-02' };
    try {
      await expect(teamCosts(deps(), range)).rejects.toMatchObject({ kind: 'unavailable', code: 'team_table_missing' });

      await dynalite.stop();
      await expect(teamCosts(deps(), range)).rejects.toMatchObject({ kind: 'unavailable', code: 'team_unreachable', params: { reason: expect.stringMatching(/^ECONN(REFUSED|RESET)$/) } });
      await dynalite.restart();

      setSandbox(true);
      await expect(teamCosts(deps(), range)).rejects.toMatchObject({ kind: 'forbidden', code: 'team_sandbox' });
      setSandbox(false);

      settings.set({ ...settings.get(), prefix: '' });
      await expect(teamCosts(deps(), range)).rejects.toMatchObject({ code: 'team_not_configured' });
      settings.set({ ...settings.get(), enabled: false });
      await expect(teamCosts(deps(), range)).rejects.toMatchObject({ code: 'team_off' });
    } finally {
      aws.close();
    }
  });
});
