import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys, teamTableDefinition } from '../../../main/aws/keys';
import { TeamAwsStore } from '../../../main/aws/settings';
import { monthKey } from '../../../main/budgets/spend';
import { openDatabase } from '../../../main/db/open';
import { DB_FILE } from '../../../main/paths';
import { systemClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { type CompletionResult, TEAM_BUDGET_DETAIL } from '../../../shared/ai';
import { DEFAULT_TEAM_AWS_SETTINGS, teamResourceNames } from '../../../shared/aws';
import { prompt, startAiRig } from '../../support/ai';
import { threshold } from '../../support/budgets';
import { useDynalite } from '../../support/dynalite';
import { useTempDirs } from '../../support/tmp';
import { base, fans } from '../generate/support';
import { generateMessages } from '../../../main/campaigns/generate';

const KEYS = { accessKeyId: 'AKIAFAUXQSTESTKEY000', secretAccessKey: 'team-secret-canary-5e0c' };
const NAMES = teamResourceNames('huntaze');

/**
 * The live orchestrator's pre-flight against the team's cap: the real services over a real file,
 * the loopback OpenAI-protocol sandbox server, dynalite on loopback for the team layer.
 */
describe('team spend cap in the orchestrator’s pre-flight (live profile, dynalite, loopback providers)', () => {
  const tempDir = useTempDirs();
  const dynalite = useDynalite();

  /** A live seat whose team layer is dynalite, with the tables made and this seat's AWS keys set. */
  async function openSeat() {
    const { endpoint } = await dynalite();
    const admin = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { ...KEYS } });
    for (const TableName of [NAMES.costsTable, NAMES.alertsTable]) await admin.send(new CreateTableCommand(teamTableDefinition(TableName)));
    const dir = tempDir();
    mkdirSync(join(dir, 'data'), { recursive: true });
    // What Settings → Team (AWS) would have saved in the live file.
    const db = openDatabase(join(dir, 'data', DB_FILE));
    new TeamAwsStore(db, systemClock, silentLogger).set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: 'eu-west-1', endpoint });
    db.close();
    const rig = await startAiRig(dir);
    const call = (m: string, i: unknown) => rig.services.registry.dispatch(m, i);
    expect(await call('alerts.setSecret', { secret: 'aws', ...KEYS })).toMatchObject({ ok: true });
    return { admin, rig, call };
  }

  it('refuses (worded as the team’s cap) or downgrades when another seat leased the cap, and serves when there is room', async () => {
    const { admin, rig, call } = await openSeat();
    try {
      const team = (id: string, target: string, amountMicros: number, hardStop: 'refuse' | 'downgrade') => threshold({ id, scope: 'campaign', target, period: 'month', amountMicros, hardStop });
      const saved = await call('teamBudgets.set', {
        model: { thresholds: [team('spent', 'camp-spent', 10_000, 'refuse'), team('tight', 'camp-tight', 10_000, 'downgrade'), team('room', 'camp-room', 1_000_000, 'refuse')] },
        baseVersion: 0,
      });
      expect(saved).toMatchObject({ ok: true });
      // Another seat leased all of one cap and all but 500 µ$ of the other.
      const month = monthKey(rig.services.profile.ai.ledger.calendar.localMonth(systemClock.now()));
      const other = (id: string, granted: number) =>
        admin.send(new PutItemCommand({ TableName: NAMES.alertsTable, Item: marshall({ ...keys.spend(month, id), limitMicros: 10_000, grants: { 'other-seat': granted }, total: granted, version: 1, seats: { 'other-seat': systemClock.now() } }) }));
      await other('spent', 10_000);
      await other('tight', 9_500);
      // This seat's own budget refuses another campaign: its refusal must read differently.
      expect(await call('costs.setThresholds', { thresholds: [threshold({ id: 'local', scope: 'campaign', target: 'camp-local', amountMicros: 1_000, hardStop: 'refuse' })] })).toMatchObject({ ok: true });
      const complete = async (campaignId: string) => ((await call('ai.complete', { ...prompt(), campaignId })) as { ok: true; value: CompletionResult }).value;

      const refused = await complete('camp-spent');
      expect(refused).toMatchObject({ outcome: 'refused', attempts: [], error: { kind: 'budget_exceeded', provider: null, detail: TEAM_BUDGET_DETAIL } });
      const local = await complete('camp-local');
      expect(local).toMatchObject({ outcome: 'refused', error: { kind: 'budget_exceeded', detail: null } });
      expect(rig.sandbox.requests()).toHaveLength(0);

      // 120 output tokens of gpt-4o (≈ 1 200 µ$) do not fit in 500; gpt-4o-mini's do.
      const tight = await complete('camp-tight');
      expect(tight).toMatchObject({ outcome: 'ok', downgraded: true, provider: 'openai', baseModel: 'gpt-4o-mini' });
      expect(tight.costMicros).toBeLessThanOrEqual(500);
      // What Alerts → Team budgets shows: this seat took the 500 left; the team has leased all 10 000.
      const shares = (await call('teamSpend.get', {})) as { ok: true; value: { allowances: { thresholdId: string }[] } };
      expect(shares.value.allowances.find((a) => a.thresholdId === 'tight')).toMatchObject({ mode: 'shared', grantMicros: 500, allowanceMicros: 500, leasedMicros: 10_000, limitMicros: 10_000 });
      expect(JSON.stringify(shares)).not.toContain(KEYS.secretAccessKey);

      const served = await complete('camp-room');
      expect(served).toMatchObject({ outcome: 'ok', downgraded: false, provider: 'azure', baseModel: 'gpt-4o' });
      expect(rig.sandbox.requests().map((q) => q.target)).toEqual(['openai', 'azure']);
    } finally {
      await rig.close();
      admin.destroy();
    }
  });

  it('a lease nearly used is not a budget warning: a step set to skip on warning still serves', async () => {
    const { admin, rig, call } = await openSeat();
    try {
      const routing = (await call('routing.get', {})) as { ok: true; value: { routes: Record<string, { provider: string }[]> } };
      const routes = Object.fromEntries(Object.entries(routing.value.routes).map(([k, steps]) => [k, steps.map((st) => ({ ...st, skipWhenBudget: 'warning' }))]));
      expect(await call('routing.set', { ...routing.value, routes })).toMatchObject({ ok: true });
      // 2 ¢ a month for the team: a lease is max(estimate, 5 % of it), so this request is leased just what it needs.
      const saved = await call('teamBudgets.set', { model: { thresholds: [threshold({ id: 'small', period: 'month', amountMicros: 20_000, hardStop: 'refuse' })] }, baseVersion: 0 });
      expect(saved).toMatchObject({ ok: true });
      const r = ((await call('ai.complete', prompt())) as { ok: true; value: CompletionResult }).value;
      expect(r).toMatchObject({ outcome: 'ok', provider: 'azure', skipped: [] });
      const shares = (await call('teamSpend.get', {})) as { ok: true; value: { allowances: { grantMicros: number }[] } };
      // The lease was the request's estimate (above 5 % of the cap): at the pre-flight it was 100 % used, a warning for a local threshold.
      expect(shares.value.allowances[0]!.grantMicros).toBeGreaterThan(1_000);
      expect(shares.value.allowances[0]!.grantMicros).toBeLessThan(20_000);
    } finally {
      await rig.close();
      admin.destroy();
    }
  });

  it('a campaign whose team cap another seat leased writes from its template and says the team’s budget is why', async () => {
    const { admin, rig, call } = await openSeat();
    try {
      const cap = threshold({ id: 'gen-cap', scope: 'campaign', target: 'cmp-gen-1', period: 'month', amountMicros: 10_000, hardStop: 'refuse' });
      expect(await call('teamBudgets.set', { model: { thresholds: [cap] }, baseVersion: 0 })).toMatchObject({ ok: true });
      const month = monthKey(rig.services.profile.ai.ledger.calendar.localMonth(systemClock.now()));
      await admin.send(new PutItemCommand({ TableName: NAMES.alertsTable, Item: marshall({ ...keys.spend(month, 'gen-cap'), limitMicros: 10_000, grants: { 'other-seat': 10_000 }, total: 10_000, version: 1, seats: { 'other-seat': systemClock.now() } }) }));
      const result = await generateMessages({ ...base(rig, fans(30)), batchSize: 10 });
      expect(result.fallback).toBe('team_budget');
      expect(result.messages).toHaveLength(30);
      expect(result.messages.every((m) => m.source === 'template' && m.fallbackReason === 'team_budget')).toBe(true);
      expect(rig.sandbox.requests()).toHaveLength(0);
    } finally {
      await rig.close();
      admin.destroy();
    }
  });
});
