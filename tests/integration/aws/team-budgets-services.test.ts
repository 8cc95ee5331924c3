import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { TeamAwsStore } from '../../../main/aws/settings';
import { openDatabase } from '../../../main/db/open';
import { DB_FILE } from '../../../main/paths';
import { manualClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { createServices } from '../../../main/services';
import { DEFAULT_TEAM_AWS_SETTINGS } from '../../../shared/aws';
import { threshold } from '../../support/budgets';
import { useDynalite } from '../../support/dynalite';
import { useTempDirs } from '../../support/tmp';
import { teamTableDefinition } from '../../../main/aws/keys';

const KEYS = { accessKeyId: 'AKIAFAUXQSTESTKEY000', secretAccessKey: 'team-secret-canary-99a1' };

describe('team budgets through the registry (the live profile, dynalite on loopback)', () => {
  const tempDir = useTempDirs();
  const dynalite = useDynalite();

  async function open(endpoint: string | null) {
    const dataDir = tempDir();
    if (endpoint) {
      // What Settings → Team (AWS) would have saved in the live file.
      const db = openDatabase(join(dataDir, DB_FILE));
      new TeamAwsStore(db, manualClock(), silentLogger).set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: 'eu-west-1', endpoint });
      db.close();
    }
    const services = await createServices({ dataDir, host: 'web', logger: silentLogger, clock: manualClock(), secrets: { keychain: null, legacy: { keytar: null } } });
    const events: [string, unknown][] = [];
    services.events.subscribe((e, p) => events.push([e, p]));
    return { services, events, call: (m: string, i: unknown) => services.registry.dispatch(m, i) };
  }

  it('says why there is no team, and refuses a save with a typed error', async () => {
    const { services, call } = await open(null);
    try {
      expect(await call('teamBudgets.get', {})).toEqual({ ok: true, value: { status: 'disabled', budgets: { model: { thresholds: [] }, version: 0, updatedBy: null, updatedAt: null } } });
      expect(await call('teamBudgets.set', { model: { thresholds: [threshold()] }, baseVersion: 0 })).toMatchObject({
        ok: false,
        error: { kind: 'unavailable', code: 'team_unavailable', params: { reason: 'disabled' } },
      });
    } finally {
      await services.close();
    }
  });

  it('saves, refuses a save from a stale version with team_budgets_conflict, and refuses a bad model field by field', async () => {
    const { endpoint } = await dynalite();
    const dynamo = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { ...KEYS } });
    await dynamo.send(
      new CreateTableCommand(teamTableDefinition('huntaze-cost-alerts')),
    );
    dynamo.destroy();
    const { services, call, events } = await open(endpoint);
    try {
      expect(await call('alerts.setSecret', { secret: 'aws', ...KEYS })).toMatchObject({ ok: true });
      expect(await call('teamBudgets.get', {})).toMatchObject({ ok: true, value: { status: 'ok', budgets: { version: 0 } } });
      const saved = await call('teamBudgets.set', { model: { thresholds: [threshold({ id: 'team-day' })] }, baseVersion: 0 });
      expect(saved).toMatchObject({ ok: true, value: { status: 'ok', budgets: { version: 1, model: { thresholds: [{ id: 'team-day' }] } } } });
      const stale = await call('teamBudgets.set', { model: { thresholds: [] }, baseVersion: 0 });
      expect(stale).toMatchObject({ ok: false, error: { kind: 'conflict', code: 'team_budgets_conflict', params: { version: 1 } } });
      const bad = await call('teamBudgets.set', { model: { thresholds: [threshold({ scope: 'campaign', target: null })] }, baseVersion: 1 });
      expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ path: ['model', 'thresholds', 0, 'target'], params: { rule: 'target_required' } }] } });
      // Nothing was lost: the saved model stands.
      expect(await call('teamBudgets.get', {})).toMatchObject({ ok: true, value: { budgets: { version: 1, model: { thresholds: [{ id: 'team-day' }] } } } });
      expect(events.filter(([e]) => e === 'teamBudgets.changed').map(([, p]) => (p as { budgets: { version: number } }).budgets.version)).toEqual([1, 1]);
      expect(JSON.stringify([saved, stale, events])).not.toContain(KEYS.secretAccessKey);
    } finally {
      await services.close();
    }
  });
});
