import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { SECRET_NAMES } from '../../../main/alerts/channels';
import { TeamAws } from '../../../main/aws/clients';
import { TeamAwsStore } from '../../../main/aws/settings';
import { manualClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { DEFAULT_TEAM_AWS_SETTINGS } from '../../../shared/aws';
import { useDynalite } from '../../support/dynalite';
import { silentKeychain, useSecretStores } from '../../support/secrets';

describe('the team layer’s AWS connection (dynalite on loopback, the real SDK)', () => {
  const stores = useSecretStores();
  const startDynalite = useDynalite();

  it('says why it cannot connect before making any request, then talks to DynamoDB with the seat’s keys', async () => {
    const dataDir = stores.tempDir();
    const { store: secrets, db } = await stores.open(dataDir, { keychain: silentKeychain() });
    const settings = new TeamAwsStore(db, manualClock(), silentLogger);
    const aws = new TeamAws(settings, secrets);
    try {
      expect(await aws.connect()).toEqual({ unavailable: 'disabled' });
      settings.set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, prefix: '' });
      expect(await aws.connect()).toEqual({ unavailable: 'not_configured' });
      const { endpoint } = await startDynalite();
      settings.set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: 'eu-west-1', endpoint });
      expect(await aws.connect()).toEqual({ unavailable: 'no_keys' });

      await secrets.set(SECRET_NAMES.accessKeyId, 'AKIAIOSFODNN7EXAMPLE');
      await secrets.set(SECRET_NAMES.secretAccessKey, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
      const connection = await aws.connect();
      if (!('dynamo' in connection)) throw new Error(`expected a connection, got ${JSON.stringify(connection)}`);
      expect(connection.names).toEqual({ costsTable: 'huntaze-ai-costs', alertsTable: 'huntaze-cost-alerts', topic: 'huntaze-cost-alerts' });
      expect(await connection.dynamo.send(new ListTablesCommand({}))).toMatchObject({ TableNames: [] });
      // Same settings, same clients; the seat id is minted once and kept.
      expect(await aws.connect()).toBe(connection);
      expect(connection.seatId).toBe(new TeamAwsStore(db, manualClock(), silentLogger).seatId());

      // New settings, asked for by several callers at once: one build, shared, and it still answers.
      settings.set({ ...settings.get(), prefix: 'agency' });
      const [a, b, c] = await Promise.all([aws.connect(), aws.connect(), aws.connect()]);
      expect(b).toBe(a);
      expect(c).toBe(a);
      if (!('dynamo' in a)) throw new Error('expected a connection');
      expect(a).not.toBe(connection);
      expect(a.names.costsTable).toBe('agency-ai-costs');
      expect(await a.dynamo.send(new ListTablesCommand({}))).toMatchObject({ TableNames: [] });
    } finally {
      aws.close();
    }
  });
});
